import Foundation

/// The files of Schema/ as they were when this binary was built.
public enum SchemaFiles {
    /// File name → contents.
    public static let all: [String: Data] = embeddedFiles.mapValues { Data(base64Encoded: $0)! }

    public static func contents(of name: String) -> Data? {
        all[name]
    }
}
