import Foundation
import Glibc
import Synchronization

/// A local SMTP server that accepts every message and keeps it: where the demo's mail goes instead
/// of the internet. It speaks just enough of RFC 5321 for libcurl (EHLO, MAIL, RCPT, DATA, RSET,
/// NOOP, QUIT), one thread per connection, and writes each message as an `.eml` file as well, so
/// the user can open what the agents wrote.
public final class MailSink: Sendable {
    public struct Received: Sendable {
        public let sequence: Int
        public let sender: String
        public let recipients: [String]
        public let data: [UInt8]
    }

    public let port: Int
    private let listener: Int32
    private let folder: URL?
    private let received = Mutex<[Received]>([])

    /// Listens on 127.0.0.1 at a free port; messages also go to `folder` when given.
    public init(folder: URL?) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw MailSinkError("cannot open a socket: errno \(errno)") }
        var reuse: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 128) == 0 else {
            close(descriptor)
            throw MailSinkError("cannot listen on 127.0.0.1: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = descriptor
        self.folder = folder
        if let folder { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        Thread { [self] in acceptLoop() }.start()
    }

    public var url: String { "smtp://127.0.0.1:\(port)" }

    /// Messages received after the first `count`.
    public func messages(after count: Int) -> [Received] {
        received.withLock { Array($0.dropFirst(count)) }
    }

    public var count: Int { received.withLock { $0.count } }

    /// Stops accepting; connections in progress finish.
    public func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                return
            }
            Thread { [self] in serve(connection) }.start()
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var reader = LineReader(descriptor: connection)
        func reply(_ text: String) { _ = text.utf8CString.withUnsafeBufferPointer { send(connection, $0.baseAddress, $0.count - 1, Int32(MSG_NOSIGNAL)) } }
        reply("220 arrears-demo ESMTP mail sink\r\n")
        var sender = ""
        var recipients: [String] = []
        while let line = reader.line() {
            let command = line.prefix(4).uppercased()
            switch command {
            case "EHLO": reply("250-arrears-demo\r\n250-8BITMIME\r\n250 SIZE 26214400\r\n")
            case "HELO": reply("250 arrears-demo\r\n")
            case "MAIL":
                sender = Self.address(in: line)
                recipients = []
                reply("250 OK\r\n")
            case "RCPT":
                recipients.append(Self.address(in: line))
                reply("250 OK\r\n")
            case "DATA":
                reply("354 End data with <CR><LF>.<CR><LF>\r\n")
                guard let data = reader.message() else { return }
                keep(sender: sender, recipients: recipients, data: data)
                reply("250 OK kept\r\n")
            case "RSET":
                sender = ""
                recipients = []
                reply("250 OK\r\n")
            case "NOOP": reply("250 OK\r\n")
            case "QUIT":
                reply("221 Bye\r\n")
                return
            default: reply("502 Command not implemented\r\n")
            }
        }
    }

    private func keep(sender: String, recipients: [String], data: [UInt8]) {
        let sequence = received.withLock { all in
            all.append(Received(sequence: all.count + 1, sender: sender, recipients: recipients, data: data))
            return all.count
        }
        if let folder {
            let name = String(format: "%06d.eml", sequence)
            try? Data(data).write(to: folder.appendingPathComponent(name))
        }
    }

    /// `MAIL FROM:<a@b> SIZE=1` → `a@b`.
    private static func address(in line: String) -> String {
        guard let open = line.firstIndex(of: "<"), let close = line[open...].firstIndex(of: ">") else { return "" }
        return String(line[line.index(after: open)..<close])
    }
}

/// Reads CRLF lines and dot-terminated message bodies from a socket.
private struct LineReader {
    let descriptor: Int32
    private var buffer: [UInt8] = []
    private var start = 0

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    mutating func line() -> String? {
        rawLine().map { String(decoding: $0, as: UTF8.self) }
    }

    /// The lines up to ".", with dot-stuffing undone, joined by CRLF.
    mutating func message() -> [UInt8]? {
        var data: [UInt8] = []
        while let line = rawLine() {
            if line == [UInt8(ascii: ".")] { return data }
            data += line.first == UInt8(ascii: ".") ? Array(line.dropFirst()) : line
            data += [13, 10]
        }
        return nil
    }

    private mutating func rawLine() -> [UInt8]? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 10) {
                var end = newline
                if end > start, buffer[end - 1] == 13 { end -= 1 }
                let line = Array(buffer[start..<end])
                start = newline + 1
                if start > 65536 {
                    buffer.removeFirst(start)
                    start = 0
                }
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = recv(descriptor, &chunk, chunk.count, 0)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return nil }
            buffer += chunk[0..<count]
        }
    }
}

public struct MailSinkError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
