using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dashboard.Tests.Operations;

/// <summary>
/// An https front for the (plain-http) emulator, as an in-cluster API server is: its self-signed certificate is
/// the "cluster CA" written into the fake service-account folder. Requests and streamed watch bodies pass through.
/// </summary>
public sealed class TlsProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;

    private TlsProxy(WebApplication app, HttpClient upstream, Uri address, string caPem)
    {
        _app = app;
        _upstream = upstream;
        BaseAddress = address;
        CaPem = caPem;
    }

    public Uri BaseAddress { get; }

    /// <summary>The certificate (PEM) clients must trust: the proxy's own, self-signed.</summary>
    public string CaPem { get; }

    public static async Task<TlsProxy> StartAsync(Uri upstreamAddress)
    {
        var certificate = CreateCertificate();
        var upstream = new HttpClient { BaseAddress = upstreamAddress, Timeout = Timeout.InfiniteTimeSpan };
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(new HttpsConnectionAdapterOptions { ServerCertificate = certificate })));
        var app = builder.Build();
        app.Run(context => ForwardAsync(context, upstream));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TlsProxy(app, upstream, new Uri(address), certificate.ExportCertificatePem());
    }

    private static async Task ForwardAsync(HttpContext context, HttpClient upstream)
    {
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), context.Request.Path + context.Request.QueryString);
        if (context.Request.Headers.Authorization is { Count: > 0 } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization.ToArray());
        }

        if (context.Request.Headers.Accept is { Count: > 0 } accept)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept.ToArray());
        }

        try
        {
            using var response = await upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
            context.Response.StatusCode = (int)response.StatusCode;
            context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
            await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
            // Small reads, each written (and so flushed) at once: watch events must not wait in a buffer.
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            context.Abort();
        }
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=kubernetes", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        // Kestrel needs the key in a form it can use for TLS on Linux: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
