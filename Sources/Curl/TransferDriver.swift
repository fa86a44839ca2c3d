import CCurl
import Foundation

/// Runs transfers on a dedicated thread with a `curl_multi` handle (and its connection
/// pool), so libcurl's work never occupies Swift's cooperative thread pool. Callers hand
/// transfers over through a lock-protected queue and wake the thread with
/// `curl_multi_wakeup`.
final class TransferDriver: @unchecked Sendable {
    private let multi: UnsafeMutableRawPointer

    private let lock = NSLock()
    // Guarded by `lock`.
    private var incoming: [Transfer] = []
    private var cancellations: [Transfer] = []
    private var stopping = false

    /// Transfers inside the multi handle, by easy handle. Touched only by the driver thread.
    private var running: [UnsafeMutableRawPointer: Transfer] = [:]

    init() {
        CurlGlobal.initialize()
        guard let multi = curl_multi_init() else {
            fatalError("curl_multi_init returned no handle")
        }
        self.multi = multi
        let thread = Thread { [self] in run() }
        thread.name = "curl"
        thread.start()
    }

    /// Runs the transfer to completion and returns libcurl's result code. Cancelling the
    /// calling task removes the transfer from libcurl and throws `CancellationError`.
    func perform(_ transfer: Transfer) async throws -> CURLcode {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                submit(transfer, continuation)
            }
        } onCancel: {
            cancel(transfer)
        }
    }

    /// Ends the thread; transfers still running fail with `CancellationError`.
    func stop() {
        lock.withLock {
            stopping = true
            curl_multi_wakeup(multi)
        }
    }

    private func submit(_ transfer: Transfer, _ continuation: CheckedContinuation<CURLcode, any Error>) {
        let accepted = lock.withLock {
            // A task cancelled before it got here must not start a transfer nobody waits for.
            guard !transfer.cancelRequested, !stopping else { return false }
            transfer.continuation = continuation
            transfer.submitted = true
            incoming.append(transfer)
            curl_multi_wakeup(multi)
            return true
        }
        if !accepted { continuation.resume(throwing: CancellationError()) }
    }

    private func cancel(_ transfer: Transfer) {
        lock.withLock {
            transfer.cancelRequested = true
            guard transfer.submitted, !stopping else { return }
            cancellations.append(transfer)
            curl_multi_wakeup(multi)
        }
    }

    // MARK: The driver thread

    private func run() {
        while true {
            let (started, cancelled, stop) = lock.withLock {
                defer {
                    incoming.removeAll()
                    cancellations.removeAll()
                }
                return (incoming, cancellations, stopping)
            }
            started.forEach(start)
            for transfer in cancelled where running[transfer.easy.raw] === transfer {
                finish(transfer, with: .failure(CancellationError()))
            }
            if stop { break }

            var active: Int32 = 0
            curl_multi_perform(multi, &active)
            finishCompleted()
            // Sleeps until a socket is ready, libcurl's next timeout, or a wakeup.
            curl_multi_poll(multi, nil, 0, 60_000, nil)
        }
        for transfer in running.values {
            finish(transfer, with: .failure(CancellationError()))
        }
        curl_multi_cleanup(multi)
    }

    private func start(_ transfer: Transfer) {
        let code = curl_multi_add_handle(multi, transfer.easy.raw)
        guard code == CURLM_OK else {
            let reason = String(cString: curl_multi_strerror(code))
            transfer.continuation?.resume(throwing: CurlError(code: CURLE_FAILED_INIT, detail: reason))
            transfer.continuation = nil
            return
        }
        running[transfer.easy.raw] = transfer
    }

    private func finishCompleted() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE,
                  let handle = message.pointee.easy_handle,
                  let transfer = running[handle]
            else { continue }
            finish(transfer, with: .success(message.pointee.data.result))
        }
    }

    private func finish(_ transfer: Transfer, with result: Result<CURLcode, any Error>) {
        curl_multi_remove_handle(multi, transfer.easy.raw)
        running[transfer.easy.raw] = nil
        transfer.continuation?.resume(with: result)
        transfer.continuation = nil
    }
}
