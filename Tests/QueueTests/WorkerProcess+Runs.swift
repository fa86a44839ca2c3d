import Foundation
import TestSupport

extension WorkerProcess {
    /// The diagnostic.sleep runs this worker finished.
    var runs: [Run] {
        logs("diagnostic task ran").compactMap { fields in
            guard let task = (fields["task"] as? String).flatMap(Int64.init),
                  let tenant = (fields["tenant"] as? String).flatMap(Int64.init),
                  let started = (fields["started"] as? String).flatMap(Double.init),
                  let finished = (fields["finished"] as? String).flatMap(Double.init)
            else { return nil }
            return Run(task: task, tenant: tenant, customer: fields["customer"] as? String ?? "", started: started, finished: finished)
        }
    }

    struct Run {
        let task: Int64
        let tenant: Int64
        let customer: String
        let started: Double
        let finished: Double
    }
}

/// One handler run in an execution journal (`arrears worker --journal`): when it started, and
/// when its handler returned, if it did.
struct JournalRun {
    let task: Int64
    let customer: Int64?
    let pid: Int32
    let started: Double
    var ended: Double?

    /// The runs in the journal at `path`, in the order they started.
    static func read(_ path: String) throws -> [JournalRun] {
        var runs: [JournalRun] = []
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            guard let fields = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let event = fields["event"] as? String, let task = (fields["task"] as? NSNumber)?.int64Value,
                  let pid = (fields["pid"] as? NSNumber)?.int32Value, let at = (fields["at"] as? NSNumber)?.doubleValue
            else { continue }
            if event == "start" {
                runs.append(JournalRun(task: task, customer: (fields["customer"] as? NSNumber)?.int64Value, pid: pid, started: at))
            } else if let index = runs.lastIndex(where: { $0.task == task && $0.pid == pid && $0.ended == nil }) {
                runs[index].ended = at
            }
        }
        return runs
    }
}
