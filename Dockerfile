# syntax=docker/dockerfile:1
# Multi-stage build of the dashboard: SDK image builds, the ASP.NET runtime image runs it as a non-root user.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
# Restore layer: only the files that decide the package graph, so source edits keep it cached.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Dashboard/Dashboard.csproj src/Dashboard/
COPY src/Dashboard.Kubernetes/Dashboard.Kubernetes.csproj src/Dashboard.Kubernetes/
COPY src/Dashboard.Model/Dashboard.Model.csproj src/Dashboard.Model/
COPY src/Dashboard.Emulator/Dashboard.Emulator.csproj src/Dashboard.Emulator/
RUN dotnet restore src/Dashboard/Dashboard.csproj
# Sources, the root configuration and the static assets the app links in.
COPY appsettings.json ./
COPY wwwroot-assets/ wwwroot-assets/
COPY src/ src/
RUN dotnet publish src/Dashboard/Dashboard.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_URLS=http://+:8080 \
    Kubernetes__Mode=InCluster \
    DOTNET_gcServer=0
EXPOSE 8080
# The image's built-in unprivileged user (uid 1654).
USER $APP_UID
ENTRYPOINT ["dotnet", "Dashboard.dll"]
