using Dashboard.Emulator.Errors;

namespace Dashboard.Emulator.Api;

/// <summary>Dispatches a request on a resource path to the verb's handler.</summary>
internal static class KubernetesApi
{
    public static Task HandleAsync(HttpContext http, ApiContext api, ResourceRoute route)
    {
        var method = http.Request.Method;
        if (route.IsCollection)
        {
            if (HttpMethods.IsGet(method))
            {
                var query = ListQuery.Parse(http.Request.Query);
                return query.Watch ? WatchHandler.HandleAsync(http, api, route, query) : ListHandler.HandleAsync(http, api, route, query);
            }

            if (HttpMethods.IsPost(method) && (route.Namespace is not null || !route.Kind.IsNamespaced))
            {
                return ObjectHandler.CreateAsync(http, api, route);
            }

            throw ApiErrors.MethodNotSupported(route.Kind, method);
        }

        if (route.Subresource is not null && HttpMethods.IsDelete(method))
        {
            throw ApiErrors.MethodNotSupported(route.Kind, method);
        }

        if (route.Subresource is "scale")
        {
            return method switch
            {
                _ when HttpMethods.IsGet(method) => ScaleHandler.GetAsync(http, api, route),
                _ when HttpMethods.IsPut(method) => ScaleHandler.UpdateAsync(http, api, route, isPatch: false),
                _ when HttpMethods.IsPatch(method) => ScaleHandler.UpdateAsync(http, api, route, isPatch: true),
                _ => throw ApiErrors.MethodNotSupported(route.Kind, method),
            };
        }

        return method switch
        {
            _ when HttpMethods.IsGet(method) => ObjectHandler.GetAsync(http, api, route),
            _ when HttpMethods.IsPut(method) => ObjectHandler.UpdateAsync(http, api, route),
            _ when HttpMethods.IsPatch(method) => ObjectHandler.PatchAsync(http, api, route),
            _ when HttpMethods.IsDelete(method) => ObjectHandler.DeleteAsync(http, api, route),
            _ => throw ApiErrors.MethodNotSupported(route.Kind, method),
        };
    }
}
