// INamespaceAccess moved from Dashboard.Hubs to Dashboard.Security; tests written against the old place still compile.
global using Dashboard.Security;
