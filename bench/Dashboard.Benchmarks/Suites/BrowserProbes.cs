using System.Globalization;

namespace Dashboard.Benchmarks.Suites;

/// <summary>
/// The scripts the browser suite runs inside the page. Times are taken in the page: performance.now() (ms since
/// the navigation started) for the navigation marks, performance.timeOrigin + performance.now() (ms since the Unix
/// epoch, the same wall clock as .NET's DateTimeOffset.UtcNow on this machine) for DOM changes caused by writes.
/// </summary>
internal static class BrowserProbes
{
    /// <summary>
    /// An init script (runs before the page's own scripts): a MutationObserver on the whole document that marks the
    /// first job row in the DOM (the prerendered HTML), the interactive circuit, and the grid fully synced (banner Live,
    /// all <paramref name="expectedRows"/> jobs counted, interactive rows present), each followed by the next frame.
    /// </summary>
    public static string Navigation(int expectedRows) => """
        (() => {
          const expected = "EXPECTED";
          const marks = {};
          const now = () => performance.now();
          const afterFrame = (name) => requestAnimationFrame(() => { marks[name] = now(); });
          const check = () => {
            if (marks.firstRow === undefined && document.querySelector('[data-testid="job-row"]')) {
              marks.firstRow = now();
              afterFrame("firstRowFrame");
            }
            const body = document.body;
            if (marks.interactive === undefined && body && body.getAttribute("data-circuit") === "on") {
              marks.interactive = now();
            }
            if (marks.interactive !== undefined && marks.synced === undefined) {
              const banner = document.querySelector('[data-testid="sync-banner"]');
              const grid = document.querySelector('[data-testid="job-grid"]');
              if (banner && banner.getAttribute("data-phase") === "Live"
                  && grid && grid.getAttribute("data-row-count") === expected
                  && grid.querySelector('[data-testid="job-row"]')) {
                marks.synced = now();
                afterFrame("syncedFrame");
              }
            }
          };
          new MutationObserver(check).observe(document, {
            subtree: true, childList: true, attributes: true,
            attributeFilter: ["data-circuit", "data-phase", "data-row-count"],
          });
          window.__benchNavigation = marks;
        })();
        """.Replace("EXPECTED", expectedRows.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    public const string NavigationDone = "() => window.__benchNavigation !== undefined && window.__benchNavigation.syncedFrame !== undefined";

    /// <summary>
    /// [first row in DOM, its next frame, circuit interactive, synced, its next frame, first contentful paint,
    /// HTML response end, the last render-blocking resource's response end] in ms since navigation start; -1 where missing.
    /// </summary>
    public const string ReadNavigation = """
        () => {
          const m = window.__benchNavigation || {};
          const fcp = performance.getEntriesByName("first-contentful-paint")[0];
          const nav = performance.getEntriesByType("navigation")[0];
          const v = (x) => (typeof x === "number" ? x : -1);
          const blocking = performance.getEntriesByType("resource").filter(r => r.renderBlockingStatus === "blocking");
          const blockingEnd = blocking.length === 0 ? -1 : Math.max(...blocking.map(r => r.responseEnd));
          return [v(m.firstRow), v(m.firstRowFrame), v(m.interactive), v(m.synced), v(m.syncedFrame),
                  v(fcp && fcp.startTime), v(nav && nav.responseEnd), blockingEnd];
        }
        """;

    /// <summary>What the page shows, for a timeout's message.</summary>
    public const string Describe = """
        () => JSON.stringify({
          marks: window.__benchNavigation,
          circuit: document.body && document.body.getAttribute("data-circuit"),
          phase: document.querySelector('[data-testid="sync-banner"]')?.getAttribute("data-phase"),
          rowCount: document.querySelector('[data-testid="job-grid"]')?.getAttribute("data-row-count"),
          rows: document.querySelectorAll('[data-testid="job-row"]').length,
          errorUi: document.querySelector("#blazor-error-ui")?.checkVisibility?.(),
        })
        """;

    /// <summary>Names (data-job keys) of the job rows wholly inside the grid's scroll box and the window, top to bottom.</summary>
    public const string RowsOnScreen = """
        () => {
          const body = document.querySelector('[data-testid="job-grid-body"]');
          if (!body) return [];
          const box = body.getBoundingClientRect();
          const bottom = Math.min(box.bottom, window.innerHeight);
          return [...body.querySelectorAll('[data-testid="job-row"]')]
            .filter(r => { const b = r.getBoundingClientRect(); return b.height > 0 && b.top >= box.top && b.bottom <= bottom; })
            .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
            .map(r => r.getAttribute("data-job"));
        }
        """;

    /// <summary>
    /// Installs a MutationObserver on the grid body that records, whenever a row's data-rv changes, [job key,
    /// resourceVersion, the text of the row's Workers cell, wall-clock ms]. The cell's text is read at that moment, so
    /// a record with the written value means the changed cell is in the DOM.
    /// </summary>
    public const string RowChanges = """
        () => {
          const body = document.querySelector('[data-testid="job-grid-body"]');
          const records = [];
          const last = new Map();
          for (const row of body.querySelectorAll('[data-testid="job-row"]')) {
            last.set(row.getAttribute("data-job"), row.getAttribute("data-rv"));
          }
          const look = (row, t) => {
            const job = row.getAttribute("data-job");
            const rv = row.getAttribute("data-rv");
            if (job === null || rv === null || last.get(job) === rv) return;
            last.set(job, rv);
            const cell = row.querySelector('[data-testid="cell-worker"]');
            records.push([job, rv, cell ? cell.textContent.trim() : "", t]);
          };
          new MutationObserver(list => {
            const t = performance.timeOrigin + performance.now();
            const rows = new Set();
            for (const m of list) {
              const element = m.target.nodeType === 1 ? m.target : m.target.parentElement;
              const row = element && element.closest('[data-testid="job-row"]');
              if (row) rows.add(row);
              for (const n of m.addedNodes) {
                if (n.nodeType === 1 && n.matches('[data-testid="job-row"]')) rows.add(n);
              }
            }
            for (const row of rows) look(row, t);
          }).observe(body, { subtree: true, childList: true, attributes: true, characterData: true });
          window.__benchRows = { take: () => JSON.stringify(records.splice(0, records.length)) };
          return true;
        }
        """;

    public const string TakeRowChanges = "() => window.__benchRows.take()";

    /// <summary>[performance.timeOrigin + performance.now(), Date.now()] in the page.</summary>
    public const string WallClocks = "() => [performance.timeOrigin + performance.now(), Date.now()]";
}
