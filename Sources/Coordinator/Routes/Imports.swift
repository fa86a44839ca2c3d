import Store

extension AdminAPI {
    /// The largest CSV file taken in one upload.
    static let maximumCSVBody = 64 * 1024 * 1024

    /// CSV upload: the same checks and upserts as `arrears import`.
    var importEndpoints: [Endpoint] {
        [
            Endpoint(.post, "/v1/imports/{kind}", .tenantWrite, bodyLimit: Self.maximumCSVBody) { call in
                guard let kind = ImportKind(rawValue: try call.parameter("kind")) else {
                    throw APIError.notFound("no such import; use customers, contacts, invoices or payments")
                }
                guard Call.mediaType(call.request.headers[.contentType] ?? "") == "text/csv" else {
                    throw APIError(.unsupportedMediaType, "unsupported_media_type", "send the file as text/csv")
                }
                let summary = try await inTenant(call) { try await $0.importCSV(kind, call.body) }
                return .json { json in
                    json.object {
                        $0.field("object", "import")
                        $0.field("kind", summary.kind.rawValue)
                        $0.field("rows", summary.rows)
                        $0.field("created", summary.created)
                        $0.field("updated", summary.updated)
                        $0.field("unchanged", summary.unchanged)
                    }
                }
            },
        ]
    }
}
