import Crypto
import Foundation
import SchemaFiles

/// One numbered SQL file from Schema/, e.g. `0001_init.sql`.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let fileName: String
    public let sql: String
    /// SHA-256 of the file's bytes, hex: an applied migration must never change.
    public let checksum: String

    public init(fileName: String, contents: Data) throws {
        let digits = fileName.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let version = Int(digits), fileName.dropFirst(digits.count).first == "_",
              fileName.hasSuffix(".sql")
        else {
            throw MigrationError.badFileName(fileName)
        }
        guard let sql = String(data: contents, encoding: .utf8) else {
            throw MigrationError.notUTF8(fileName)
        }
        self.version = version
        self.fileName = fileName
        self.sql = sql
        checksum = SHA256.hash(data: contents).map { String(format: "%02x", $0) }.joined()
    }

    /// The migrations compiled into this binary.
    public static func embedded() throws -> [Migration] {
        try ordered(SchemaFiles.all.filter { $0.key.hasSuffix(".sql") }.map { try Migration(fileName: $0.key, contents: $0.value) })
    }

    /// The migrations in a folder on disk (`arrears migrate --schema-dir`).
    public static func load(from folder: URL) throws -> [Migration] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }
        return try ordered(names.map { try Migration(fileName: $0, contents: Data(contentsOf: folder.appendingPathComponent($0))) })
    }

    private static func ordered(_ migrations: [Migration]) throws -> [Migration] {
        let sorted = migrations.sorted { $0.version < $1.version }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where previous.version == next.version {
            throw MigrationError.duplicateVersion(previous.fileName, next.fileName)
        }
        return sorted
    }
}

public enum MigrationError: Error, CustomStringConvertible {
    case badFileName(String)
    case notUTF8(String)
    case duplicateVersion(String, String)
    case edited(fileName: String, appliedChecksum: String, currentChecksum: String)
    case unknownAppliedVersion(version: Int, fileName: String)
    case pending([String])
    case failed(fileName: String, underlying: any Error)

    public var description: String {
        switch self {
        case .badFileName(let name):
            "migration file \(name) must be named NNNN_description.sql"
        case .notUTF8(let name):
            "migration file \(name) is not UTF-8 text"
        case .duplicateVersion(let first, let second):
            "migrations \(first) and \(second) have the same number"
        case .edited(let name, let applied, let current):
            "migration \(name) was edited after it was applied (checksum \(applied.prefix(12)) in the database, "
                + "\(current.prefix(12)) now); applied migrations must not change, put the change in a new migration"
        case .unknownAppliedVersion(let version, let name):
            "the database has migration \(name) (version \(version)) that this arrears binary does not know; "
                + "it is newer than this binary: upgrade arrears before running it against this database"
        case .pending(let names):
            "the database schema is behind this binary; run `arrears migrate` first (pending: \(names.joined(separator: ", ")))"
        case .failed(let name, let underlying):
            "migration \(name) failed and was rolled back: \(underlying)"
        }
    }
}
