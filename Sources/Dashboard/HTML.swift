import Mail

/// Server-rendered pages: every value that came from data goes through `HTMLText.escape`.
public enum HTML {
    /// A page of the dashboard: navigation when signed in, then `body` (already HTML).
    static func page(title: String, tenant: String?, body: String) -> String {
        let navigation = tenant.map { name in
            """
            <nav><strong>\(HTMLText.escape(name))</strong> · <a href="/ui">Overview</a> · <a href="/ui/tasks">Tasks</a>
            <form method="post" action="/ui/sign-out" class="inline"><button>Sign out</button></form></nav>
            """
        } ?? ""
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <title>\(HTMLText.escape(title)) · Arrears</title>
            <style>
            body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;padding:1em 2em;max-width:72em;color:#222}
            nav{padding:.5em 0;border-bottom:1px solid #ddd;margin-bottom:1em}
            table{border-collapse:collapse;margin:.5em 0 1.5em;width:100%}td,th{border-bottom:1px solid #e4e4e4;padding:.3em .5em;text-align:left;vertical-align:top}
            th{background:#f6f6f6}.num{text-align:right}.inline{display:inline}.muted{color:#777}.error{color:#b00}
            section{margin-bottom:1.5em}pre{white-space:pre-wrap;background:#fafafa;padding:.5em}
            </style></head>
            <body>
            \(navigation)
            \(body)
            </body></html>
            """
    }

    static func table(_ headers: [String], _ rows: [[String]], empty: String) -> String {
        guard !rows.isEmpty else { return "<p class=\"muted\">\(HTMLText.escape(empty))</p>" }
        let head = headers.map { "<th>\(HTMLText.escape($0))</th>" }.joined()
        let body = rows.map { "<tr>" + $0.map { "<td>\($0)</td>" }.joined() + "</tr>" }.joined(separator: "\n")
        return "<table><tr>\(head)</tr>\n\(body)</table>"
    }
}

extension HTML {
    public static func notFoundPage(tenant: String) -> String {
        page(title: "Not found", tenant: tenant, body: "<h1>Not found</h1><p>There is nothing here for this tenant.</p>")
    }
}
