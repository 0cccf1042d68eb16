// Small helpers the Blazor components call through JS interop. No framework, no state beyond localStorage.
window.dashboard = {
    // Set once the interactive circuit has rendered: end-to-end tests wait for it before clicking.
    markCircuit: function () {
        document.body.setAttribute("data-circuit", "on");
    },
    getTheme: function () {
        try { return window.localStorage.getItem("dashboard-theme"); } catch { return null; }
    },
    setTheme: function (theme) {
        try { window.localStorage.setItem("dashboard-theme", theme); } catch { /* private mode: not remembered */ }
    },
    copyText: async function (text) {
        if (navigator.clipboard && window.isSecureContext) {
            await navigator.clipboard.writeText(text);
            return true;
        }
        // Plain-http hosts other than localhost have no clipboard API: fall back to a hidden textarea.
        const area = document.createElement("textarea");
        area.value = text;
        area.setAttribute("readonly", "");
        area.style.position = "fixed";
        area.style.opacity = "0";
        document.body.appendChild(area);
        area.select();
        const ok = document.execCommand("copy");
        document.body.removeChild(area);
        return ok;
    },
    // Focus a grid row by key. The grid is virtualized, so a row far down is not in the DOM yet: scroll to where it
    // sits (index × row height), then wait a few frames for the grid to render it. Runs after the page's own
    // focus-on-navigate (which moves focus to the title), hence the first frame's wait.
    focusRow: function (key, index, rowHeight) {
        const body = document.querySelector('[data-testid="job-grid-body"]');
        if (!body) {
            return;
        }
        const selector = '[data-testid="job-row"][data-job="' + CSS.escape(key) + '"]';
        if (!body.querySelector(selector)) {
            body.scrollTop = Math.max(0, index * rowHeight - body.clientHeight / 2);
        }
        let frames = 0;
        const attempt = function () {
            const row = body.querySelector(selector);
            if (row) {
                row.focus({ preventScroll: true });
                row.scrollIntoView({ block: "nearest" });
            } else if (++frames < 30) {
                requestAnimationFrame(attempt);
            }
        };
        requestAnimationFrame(attempt);
    },
    // The skip link's target: the first row on screen, or the list itself when it is empty.
    focusFirstRow: function () {
        const body = document.querySelector('[data-testid="job-grid-body"]');
        const row = body ? body.querySelector('[data-testid="job-row"]') : null;
        (row || body)?.focus();
    },
    downloadText: function (fileName, text, mimeType) {
        const blob = new Blob([text], { type: mimeType || "text/plain" });
        const url = URL.createObjectURL(blob);
        const link = document.createElement("a");
        link.href = url;
        link.download = fileName;
        document.body.appendChild(link);
        link.click();
        document.body.removeChild(link);
        URL.revokeObjectURL(url);
    }
};

// Arrow keys move between grid rows (Enter on a row is handled by the row itself).
document.addEventListener("keydown", function (e) {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") {
        return;
    }
    const row = e.target instanceof Element ? e.target.closest('[data-testid="job-row"]') : null;
    if (!row || e.target !== row) {
        return;
    }
    let next = e.key === "ArrowDown" ? row.nextElementSibling : row.previousElementSibling;
    while (next && next.getAttribute("data-testid") !== "job-row") {
        next = e.key === "ArrowDown" ? next.nextElementSibling : next.previousElementSibling;
    }
    if (next) {
        e.preventDefault();
        next.focus();
        next.scrollIntoView({ block: "nearest" });
    }
});
