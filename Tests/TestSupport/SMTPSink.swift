import Curl
import Foundation

/// Tests/Support/smtp_sink.py with its own message directory.
public final class SMTPSink: Sendable {
    public enum Mode {
        case plain
        case startTLS(TestCertificates)
        case implicitTLS(TestCertificates)
    }

    public let server: LocalServer
    public let directory: TemporaryDirectory

    /// `delayData` keeps each message, then holds back the confirmation that long.
    public init(_ mode: Mode = .plain, login: SMTPCredentials? = nil, delayData: Double? = nil) async throws {
        directory = try TemporaryDirectory()
        var arguments = ["--dir", directory.path("")]
        if let delayData { arguments += ["--delay-data", String(delayData)] }
        switch mode {
        case .plain:
            break
        case .startTLS(let certificates):
            arguments += ["--starttls", "--tls-cert", certificates.certificateFile, "--tls-key", certificates.keyFile]
        case .implicitTLS(let certificates):
            arguments += ["--implicit-tls", "--tls-cert", certificates.certificateFile, "--tls-key", certificates.keyFile]
        }
        if let login {
            arguments += ["--auth-user", login.username, "--auth-password", login.password]
        }
        server = try await LocalServer(script: "smtp_sink.py", arguments: arguments)
    }

    public func url(scheme: String = "smtp") -> String {
        "\(scheme)://127.0.0.1:\(server.port)"
    }

    /// Every message received so far, oldest first.
    public func messages() throws -> [ReceivedMail] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path(""))
            .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
            .sorted()
        return try names.map { name in
            let data = try Data(contentsOf: URL(fileURLWithPath: directory.path(name)))
            return try JSONDecoder().decode(ReceivedMail.self, from: data)
        }
    }

    public func stop() {
        server.stop()
        directory.remove()
    }
}

/// One message as the sink recorded it.
public struct ReceivedMail: Decodable {
    public let mailFrom: String
    public let rcptTos: [String]
    public let dataBase64: String
    public let tls: Bool
    public let authUser: String?

    enum CodingKeys: String, CodingKey {
        case mailFrom = "mail_from", rcptTos = "rcpt_tos", dataBase64 = "data_base64"
        case tls, authUser = "auth_user"
    }

    public var data: [UInt8] { Array(Data(base64Encoded: dataBase64) ?? Data()) }
}
