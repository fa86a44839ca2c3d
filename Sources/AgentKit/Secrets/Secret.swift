/// A password, API key or signing secret. Printing, interpolating, dumping or logging it shows
/// `<redacted>`; only `reveal()` gives the value, at the one place that must hand it on.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: String

    public init(_ value: String) {
        self.value = value
    }

    public func reveal() -> String { value }

    public var isEmpty: Bool { value.isEmpty }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    /// `dump()` and `Mirror` would otherwise walk into the stored value.
    public var customMirror: Mirror { Mirror(self, children: []) }
}
