using Dashboard.Kubernetes.Query;
using Dashboard.Model;
using Dashboard.Model.Selectors;
using Dashboard.Security;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Pages;

/// <summary>
/// The plumbing shared by the pages that show the live jobs of one (namespace, label selector): the per-user
/// queries, the namespace list, a page-level clock and one <see cref="LiveJobList"/> that is replaced only when
/// the namespace or selector in the URL changes. A page adds only what it does with the jobs.
/// </summary>
public abstract class LiveJobsPage : ComponentBase, IAsyncDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private ITimer? _ticker;
    private bool _subscribedOnce;
    private int _generation;
    private IJobQueryService? _userQueries;
    private ILogger? _logger;

    [Inject]
    public required IJobQueryService Queries { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required TimeProvider TimeProvider { get; init; }

    [Inject]
    public required ILoggerFactory LoggerFactory { get; init; }

    [Inject]
    public required IServiceProvider Services { get; init; }

    [SupplyParameterFromQuery(Name = "namespace")]
    public string? Namespace { get; set; }

    [SupplyParameterFromQuery(Name = "labelSelector")]
    public string? LabelSelector { get; set; }

    /// <summary>The page's own category (e.g. Dashboard.Components.Pages.Jobs), as an injected ILogger&lt;T&gt; would have.</summary>
    protected ILogger Logger => _logger ??= LoggerFactory.CreateLogger(GetType());

    /// <summary>The queries as this user may make them (namespaces they may not read are refused or left out).</summary>
    protected IJobQueryService UserQueries => _userQueries ?? Queries;

    /// <summary>The namespace shown (null = all), normalised from the URL.</summary>
    protected string? CurrentNamespace { get; private set; }

    /// <summary>The label selector applied (null = everything), normalised from the URL.</summary>
    protected string? CurrentSelector { get; private set; }

    protected NamespaceListing Namespaces { get; private set; } = new([], false, null);

    /// <summary>The jobs subscription; null before the first one, or when the namespace or selector was refused.</summary>
    protected LiveJobList? Live { get; private set; }

    protected SyncStatus Sync { get; set; } = new(SyncPhase.Syncing);

    /// <summary>Why the namespace was refused for this user, or null.</summary>
    protected string? Forbidden { get; private set; }

    /// <summary>How <see cref="Forbidden"/> is headed: a 403, or a namespace name that cannot exist.</summary>
    protected string RefusalTitle { get; private set; } = "403 Forbidden";

    /// <summary>Why the selector in the URL is malformed, or null.</summary>
    protected string? SelectorError { get; private set; }

    /// <summary>
    /// Why the page shows no jobs when that is not because there are none (refused, a selector to fix, not listed
    /// yet), or null: an empty page must never claim "no jobs" it does not know about.
    /// </summary>
    protected string? NoJobsReason =>
        Forbidden is not null ? "No jobs to show."
        : Live is null && SelectorError is not null ? "Fix the selector to see jobs."
        : Sync.Phase == SyncPhase.Syncing ? "Loading jobs…"
        : Sync.LastSyncedAt is null && Sync.Phase != SyncPhase.Live ? "No jobs loaded yet: the API server has not answered a list (see the banner)."
        : null;

    /// <summary>The page-level clock: advanced every <see cref="TickInterval"/> and shared by everything on the page.</summary>
    protected DateTimeOffset Now { get; set; }

    protected abstract TimeSpan TickInterval { get; }

    /// <summary>What the namespace picker says when the namespaces cannot be listed.</summary>
    protected virtual string? NamespacesUnavailableNote => null;

    protected override async Task OnInitializedAsync()
    {
        Now = TimeProvider.GetUtcNow();
        // One page-level clock: components re-render only when their time-dependent text changes.
        _ticker = TimeProvider.CreateTimer(_ => _ = TickAsync(), null, TickInterval, TickInterval);
        _userQueries = await PageAccess.ForCurrentUserAsync(Queries, Services);
        try
        {
            Namespaces = await UserQueries.GetNamespacesAsync(_disposed.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Listing namespaces failed");
            Namespaces = new NamespaceListing([], false, NamespacesUnavailableNote);
        }
    }

    protected override Task OnParametersSetAsync() => SubscribeIfChangedAsync();

    /// <summary>Subscribes again when the URL's namespace or selector changed (or on the first call); false when not.</summary>
    protected async Task<bool> SubscribeIfChangedAsync()
    {
        var @namespace = Normalize(Namespace);
        var selector = Normalize(LabelSelector);
        if (_subscribedOnce && @namespace == CurrentNamespace && selector == CurrentSelector)
        {
            return false;
        }

        _subscribedOnce = true;
        CurrentNamespace = @namespace;
        CurrentSelector = selector;
        await SubscribeAsync();
        return true;
    }

    private async Task SubscribeAsync()
    {
        // Blazor may set parameters again while this awaits (quick navigation): each call has a generation, and a
        // call that finds a newer one running gives up and disposes what it made, so one subscription is left.
        var generation = ++_generation;

        // A malformed selector changes nothing: the rows on screen stay live under their old selector (unless they
        // are another namespace's: then there is nothing to keep).
        if (!Dashboard.Model.Selectors.LabelSelector.TryParse(CurrentSelector, out _, out var selectorError))
        {
            SelectorError = selectorError;
            if (Live is { } other && other.Namespace != CurrentNamespace)
            {
                Live = null;
                OnForbidden();
                await other.DisposeAsync();
            }

            return;
        }

        if (Live is { } previous)
        {
            Live = null;
            await previous.DisposeAsync();
        }

        if (generation != _generation)
        {
            return;
        }

        LiveJobList live;
        try
        {
            Forbidden = null;
            live = await LiveJobList.StartAsync(UserQueries, CurrentNamespace, CurrentSelector, OnBatchAsync, Logger, _disposed.Token);
            if (generation != _generation)
            {
                await live.DisposeAsync();
                return;
            }

            Live = live;
            Sync = live.Sync;
            SelectorError = null;
        }
        catch (Exception ex) when (generation != _generation
            && (ex is OperationCanceledException or SelectorParseException || QueryRefusal.From(ex) is not null))
        {
            // Superseded: the newer call shows its own outcome.
            return;
        }
        catch (Exception ex) when (QueryRefusal.From(ex) is { } refusal)
        {
            // Forbidden here, a name Kubernetes could never hold, or no room for another cache: say so plainly
            // instead of showing an empty page.
            Forbidden = refusal.Message;
            RefusalTitle = refusal.Title;
            OnForbidden();
            return;
        }
        catch (SelectorParseException ex)
        {
            SelectorError = ex.Message;
            return;
        }

        OnSubscribed(live);
    }

    /// <summary>A new subscription's first snapshot is in: show it.</summary>
    protected abstract void OnSubscribed(LiveJobList live);

    /// <summary>The namespace was refused, or the rows on screen belong to no valid view any more: show no jobs.</summary>
    protected abstract void OnForbidden();

    /// <summary>
    /// Called off the render thread after each batch: do the heavy work here and return what applies the result
    /// on the render thread (only while <paramref name="live"/> is still the page's subscription).
    /// </summary>
    protected abstract Action PrepareBatch(LiveJobList live);

    private async Task OnBatchAsync()
    {
        var live = Live;
        if (live is null)
        {
            return;
        }

        var apply = PrepareBatch(live);
        try
        {
            await InvokeAsync(() =>
            {
                if (!ReferenceEquals(live, Live))
                {
                    return;
                }

                apply();
                Sync = live.Sync;
                StateHasChanged();
            });
        }
        catch (ObjectDisposedException)
        {
            // The circuit is gone; DisposeAsync stops the loop.
        }
    }

    private async Task TickAsync()
    {
        try
        {
            await InvokeAsync(() =>
            {
                Now = TimeProvider.GetUtcNow();
                StateHasChanged();
            });
        }
        catch (ObjectDisposedException)
        {
            // The circuit went away between two ticks.
        }
    }

    private static string? Normalize(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    public async ValueTask DisposeAsync()
    {
        _ticker?.Dispose();
        _generation++; // a subscribe still in flight disposes what it gets
        await _disposed.CancelAsync();
        if (Live is { } live)
        {
            Live = null;
            await live.DisposeAsync();
        }

        _disposed.Dispose();
        GC.SuppressFinalize(this);
    }
}
