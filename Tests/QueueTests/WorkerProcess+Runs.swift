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
