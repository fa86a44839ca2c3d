import Mail
import Queue

/// The tenant's tasks, newest first; admins get cancel and retry buttons.
public enum TaskListPage {
    public static func render(tenant: String, tasks: [TaskRecord], canChange: Bool, notice: String?) -> String {
        var body = "<h1>Tasks</h1>\n" + (notice.map { "<p class=\"error\">\(HTMLText.escape($0))</p>\n" } ?? "")
        body += HTML.table(["Id", "Kind", "Customer", "State", "Attempt", "Last error", ""], tasks.map { task in
            var actions = ""
            if canChange, task.state == .dead {
                actions = button(task.id, "redrive", "Retry")
            } else if canChange, !task.state.isFinished {
                actions = button(task.id, "cancel", "Cancel")
            }
            return ["\(task.id)", HTMLText.escape(task.kind), task.customerID.map { OverviewPage.link(customer: $0, "#\($0)") } ?? "",
                    HTMLText.escape(task.state.rawValue), "\(task.attempt) of \(task.maxAttempts)", HTMLText.escape(task.lastError ?? ""), actions]
        }, empty: "No tasks.")
        return HTML.page(title: "Tasks", tenant: tenant, body: body)
    }

    private static func button(_ id: Int64, _ action: String, _ label: String) -> String {
        "<form method=\"post\" action=\"/ui/tasks/\(id)/\(action)\" class=\"inline\"><button>\(label)</button></form>"
    }
}
