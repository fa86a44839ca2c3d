import Foundation

/// A throwaway CA and a server certificate it signed for the given subject alternative
/// names (by default localhost and 127.0.0.1), made with the openssl CLI in the directory.
public struct TestCertificates: Sendable {
    public let caFile: String
    public let certificateFile: String
    public let keyFile: String

    public init(in directory: TemporaryDirectory, names: [String] = ["DNS:localhost", "IP:127.0.0.1"]) throws {
        caFile = directory.path("ca.pem")
        certificateFile = directory.path("server.pem")
        keyFile = directory.path("server.key")
        let caKey = directory.path("ca.key")
        let ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try Self.openssl(["req", "-x509"] + ecKey + [
            "-keyout", caKey, "-out", caFile, "-days", "2", "-subj", "/CN=Arrears Test CA",
        ])
        try Self.openssl(["req", "-x509", "-CA", caFile, "-CAkey", caKey] + ecKey + [
            "-keyout", keyFile, "-out", certificateFile, "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=\(names.joined(separator: ","))",
            "-addext", "basicConstraints=critical,CA:FALSE",
        ])
    }

    private static func openssl(_ arguments: [String]) throws {
        let result = try ChildProcess.run(["openssl"] + arguments)
        guard result.status == 0 else {
            throw ChildProcessError("openssl \(arguments.first ?? "") failed: \(result.errors)")
        }
    }
}
