import Dashboard
import Dunning
import Foundation
import HTTPTypes
import Hummingbird
import Queue
import Store

/// The dashboard at /ui: server-rendered pages for a tenant, signed in with one of its API keys
/// kept in an HttpOnly, SameSite=Lax cookie: scripts cannot read it and other sites cannot make
/// the browser post with it (every change is a POST), while a link from elsewhere still opens a
/// page signed in. The key is checked like the API's bearer key on every request; a
/// read-only key sees everything and changes nothing.
extension AdminAPI {
    static let keyCookie = "arrears_key"

    func addDashboardRoutes(to router: Router<APIContext>) {
        router.get("/ui") { request, _ in
            try await signedIn(request) { principal, tenant in
                html(OverviewPage.render(try await overview(principal, tenant)))
            }
        }
        router.get("/ui/customers/{customer_id}") { request, context in
            try await signedIn(request) { principal, tenant in
                guard let id = context.parameters.get("customer_id").flatMap(Int64.init),
                      let data = try await customerPage(principal, tenant, id: id)
                else { return html(HTML.notFoundPage(tenant: tenant.name), status: .notFound) }
                return html(CustomerPage.render(data))
            }
        }
        router.get("/ui/tasks") { request, _ in
            try await signedIn(request) { principal, tenant in
                html(try await taskList(principal, tenant, notice: nil))
            }
        }
        for (action, change) in [("cancel", TaskChange.cancel), ("redrive", TaskChange.redrive)] {
            router.post(RouterPath("/ui/tasks/{task_id}/\(action)")) { request, context in
                try await signedIn(request) { principal, tenant in
                    guard principal.role == .admin else {
                        return html(try await taskList(principal, tenant, notice: "This key is read-only: it cannot change tasks."),
                                    status: .forbidden)
                    }
                    guard let id = context.parameters.get("task_id").flatMap(Int64.init) else {
                        return html(HTML.notFoundPage(tenant: tenant.name), status: .notFound)
                    }
                    if let (status, problem) = try await describeRefusal(changing: id, change, principal) {
                        return html(try await taskList(principal, tenant, notice: problem), status: status)
                    }
                    return redirect(to: "/ui/tasks")
                }
            }
        }
        router.post("/ui/sign-in") { request, _ in
            var request = request
            let form = Self.form(String(buffer: try await request.collectBody(upTo: 4096)))
            guard let key = form["key"], !key.isEmpty, try await authenticator.principal(for: key)?.tenantStatus == "active"
            else { return html(SignInPage.render(problem: "That key is not valid, was revoked, or its tenant is suspended."), status: .unauthorized) }
            var response = redirect(to: Self.dashboardPath(form["next"]) ?? "/ui")
            response.headers[.setCookie] = "\(Self.keyCookie)=\(key); Path=/ui; HttpOnly; SameSite=Lax"
            return response
        }
        router.post("/ui/sign-out") { _, _ in
            var response = redirect(to: "/ui")
            response.headers[.setCookie] = "\(Self.keyCookie)=; Path=/ui; HttpOnly; SameSite=Lax; Max-Age=0"
            return response
        }
    }

    /// Runs `body` for the key in the cookie; without a valid one, the sign-in page (401).
    private func signedIn(_ request: Request, _ body: (TenantPrincipal, Tenant) async throws -> Response) async throws -> Response {
        guard let key = Self.cookie(Self.keyCookie, in: request), let principal = try await authenticator.principal(for: key),
              principal.tenantStatus == "active", let tenant = try await store.tenant(id: principal.tenantID)
        else { return html(SignInPage.render(next: Self.dashboardPath(request.uri.path)), status: .unauthorized) }
        return try await body(principal, tenant)
    }

    private func overview(_ principal: TenantPrincipal, _ tenant: Tenant) async throws -> OverviewPage.Data {
        let today = Self.today(in: principal.tenantTimeZone)
        return try await store.withTenant(principal.tenantID, actor: principal.actor) { book in
            let aging = try await book.aging(asOf: today)
            // Today and the last five month ends before it, oldest first.
            let days = [today] + (1...5).map { CalendarDate(year: today.year, month: today.month, day: 1)!.adding(months: 1 - $0).adding(days: -1) }
            var trend: [String: [OverviewPage.TrendPoint]] = [:]
            for day in days.reversed() {
                let label = day == today ? "today" : "\(day.year)-\(day.month < 10 ? "0" : "")\(day.month)"
                let rows = try await book.daysSalesOutstanding(asOf: day, days: 90)
                for row in rows { trend[row.currency, default: []].append(OverviewPage.TrendPoint(label: label, value: row.dso)) }
            }
            return OverviewPage.Data(
                tenant: tenant.name, today: today, aging: aging,
                dsoTrend: trend.keys.sorted().map { (currency: $0, points: trend[$0]!) },
                atRisk: try await book.overdueCustomers(asOf: today, currency: nil, limit: 10),
                promisesDue: try await book.promisesDue(from: today, through: today.adding(days: 7), limit: 20),
                recentActions: try await book.auditEvents(AuditFilter(), page: PageRequest(limit: 20)).items,
                queue: try await queue.overview(tenantID: principal.tenantID, on: book.connection))
        }
    }

    private func customerPage(_ principal: TenantPrincipal, _ tenant: Tenant, id: Int64) async throws -> CustomerPage.Data? {
        try await store.withTenant(principal.tenantID, actor: principal.actor) { book in
            guard let customer = try await book.customer(id: id) else { return nil }
            return CustomerPage.Data(
                tenant: tenant.name, today: Self.today(in: customer.timeZone), customer: customer,
                invoices: try await book.invoices(InvoiceFilter(customerID: id), page: PageRequest(limit: PageRequest.maximumLimit)).items,
                messages: try await book.messages(customerID: id, page: PageRequest(limit: 50)).items,
                timeline: try await book.auditEvents(AuditFilter(customerID: id), page: PageRequest(limit: 50)).items)
        }
    }

    private func taskList(_ principal: TenantPrincipal, _ tenant: Tenant, notice: String?) async throws -> String {
        let tasks = try await store.withTenant(principal.tenantID, actor: principal.actor) { book in
            try await queue.tasks(tenantID: principal.tenantID, limit: PageRequest.maximumLimit, on: book.connection).tasks
        }
        return TaskListPage.render(tenant: tenant.name, tasks: tasks, canChange: principal.role == .admin, notice: notice)
    }

    /// Changes the task as the API does; if it could not, the status the API would answer and why.
    /// Another tenant's task is not there, as in the API: 404, never 409.
    private func describeRefusal(changing id: Int64, _ change: TaskChange,
                                 _ principal: TenantPrincipal) async throws -> (HTTPResponse.Status, String)? {
        do {
            _ = try await changeTask(id, change, by: principal)
            return nil
        } catch let refusal as TaskChangeRefusal {
            switch refusal {
            case .notFound: return (.notFound, "There is no task \(id).")
            case .finished(let state): return (.conflict, "Task \(id) has already finished (\(state.rawValue)).")
            case .notDead(let state): return (.conflict, "Task \(id) is \(state.rawValue); only dead tasks can be retried.")
            }
        }
    }

    private func html(_ page: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    private func redirect(to path: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = path
        return Response(status: .seeOther, headers: headers)
    }

    /// Where sign-in may send the browser on: a page of the dashboard, never another site.
    static func dashboardPath(_ path: String?) -> String? {
        guard let path, path == "/ui" || path.hasPrefix("/ui/"), !path.contains("//"), !path.contains("\\"),
              path.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 32 })
        else { return nil }
        return path
    }

    static func cookie(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                    return String(parts[1]).trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }

    /// application/x-www-form-urlencoded, as a browser posts a form.
    static func form(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            if let name = parts.first { fields[name] = parts.count > 1 ? parts[1] : "" }
        }
        return fields
    }
}
