import Foundation

/// A `jsonb` (or `json`) value as its JSON text.
public struct PostgresJSON: Sendable, Hashable, PostgresEncodable {
    public var text: String

    public init(_ text: String) {
        self.text = text
    }

    public init(encoding value: some Encodable, encoder: JSONEncoder = JSONEncoder()) throws {
        text = String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public func decode<Value: Decodable>(_ type: Value.Type, decoder: JSONDecoder = JSONDecoder()) throws -> Value {
        try decoder.decode(type, from: Data(text.utf8))
    }

    public static var postgresOID: UInt32 { PostgresOID.jsonb }
    public var postgresBind: PostgresBind { .text(text, oid: PostgresOID.jsonb) }
}
