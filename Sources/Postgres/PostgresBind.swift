/// One parameter as it goes over the wire: its bytes (nil for SQL NULL), whether they are text
/// or binary, and the type OID the server should read them as (0 lets the server infer it).
public struct PostgresBind: Sendable, Hashable {
    public var bytes: [UInt8]?
    public var isBinary: Bool
    public var oid: UInt32

    public init(bytes: [UInt8]?, isBinary: Bool, oid: UInt32) {
        self.bytes = bytes
        self.isBinary = isBinary
        self.oid = oid
    }

    public static func null(oid: UInt32) -> PostgresBind {
        PostgresBind(bytes: nil, isBinary: false, oid: oid)
    }

    static func text(_ text: String, oid: UInt32) -> PostgresBind {
        PostgresBind(bytes: Array(text.utf8), isBinary: false, oid: oid)
    }

    static func binary(_ bytes: [UInt8], oid: UInt32) -> PostgresBind {
        PostgresBind(bytes: bytes, isBinary: true, oid: oid)
    }
}

/// Type OIDs from the server's catalogue (`pg_type`); these never change between versions.
public enum PostgresOID {
    public static let unknown: UInt32 = 0
    public static let bool: UInt32 = 16
    public static let bytea: UInt32 = 17
    public static let char: UInt32 = 18
    public static let name: UInt32 = 19
    public static let int8: UInt32 = 20
    public static let int2: UInt32 = 21
    public static let int4: UInt32 = 23
    public static let text: UInt32 = 25
    public static let oid: UInt32 = 26
    public static let json: UInt32 = 114
    public static let float4: UInt32 = 700
    public static let float8: UInt32 = 701
    public static let boolArray: UInt32 = 1000
    public static let int2Array: UInt32 = 1005
    public static let int4Array: UInt32 = 1007
    public static let textArray: UInt32 = 1009
    public static let varcharArray: UInt32 = 1015
    public static let int8Array: UInt32 = 1016
    public static let bpchar: UInt32 = 1042
    public static let varchar: UInt32 = 1043
    public static let date: UInt32 = 1082
    public static let timestamp: UInt32 = 1114
    public static let timestamptz: UInt32 = 1184
    public static let numeric: UInt32 = 1700
    public static let uuid: UInt32 = 2950
    public static let uuidArray: UInt32 = 2951
    public static let jsonb: UInt32 = 3802
}
