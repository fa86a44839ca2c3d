#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Classifies resolved addresses that must not be reachable from tenant-configured URLs:
/// anything that lands on this host, its networks, or shared infrastructure.
enum InternalAddress {
    /// Whether the IPv4 address (4 bytes, network order) is loopback, private, link-local,
    /// CGNAT, unspecified ("this network"), multicast, reserved or broadcast.
    static func contains(ipv4 a: [UInt8]) -> Bool {
        switch (a[0], a[1]) {
        case (0, _), (10, _), (127, _): true
        case (100, 64...127): true             // CGNAT 100.64/10
        case (169, 254): true                  // link-local, including cloud metadata
        case (172, 16...31): true
        case (192, 168): true
        case (224..., _): true                 // multicast 224/4, reserved 240/4, broadcast
        default: false
        }
    }

    /// Whether the IPv6 address (16 bytes) is unspecified, loopback, link-local, site-local,
    /// unique-local or multicast, or embeds an IPv4 address (mapped, compatible, NAT64) that is.
    static func contains(ipv6 a: [UInt8]) -> Bool {
        let first10Zero = a[0..<10].allSatisfy { $0 == 0 }
        if first10Zero && a[10] == 0xFF && a[11] == 0xFF {   // ::ffff:a.b.c.d
            return contains(ipv4: Array(a[12..<16]))
        }
        if first10Zero && a[10] == 0 && a[11] == 0 {          // ::, ::1 and ::a.b.c.d
            return true
        }
        if a[0..<12] == [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0] {  // NAT64 64:ff9b::/96
            return contains(ipv4: Array(a[12..<16]))
        }
        if a[0] & 0xFE == 0xFC { return true }                // unique-local fc00::/7
        if a[0] == 0xFE && a[1] & 0xC0 == 0x80 { return true } // link-local fe80::/10
        if a[0] == 0xFE && a[1] & 0xC0 == 0xC0 { return true } // site-local fec0::/10
        if a[0] == 0xFF { return true }                        // multicast ff00::/8
        return false
    }

    /// Decides for a socket address as libcurl hands it over. Families other than IPv4 and
    /// IPv6 (Unix sockets) are internal by nature. Returns the printable address as well.
    static func classify(_ address: UnsafePointer<sockaddr>) -> (isInternal: Bool, text: String) {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            let bytes = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                withUnsafeBytes(of: $0.pointee.sin_addr) { Array($0) }
            }
            return (contains(ipv4: bytes), text(family: AF_INET, bytes: bytes))
        case AF_INET6:
            let bytes = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                withUnsafeBytes(of: $0.pointee.sin6_addr) { Array($0) }
            }
            return (contains(ipv6: bytes), text(family: AF_INET6, bytes: bytes))
        default:
            return (true, "address family \(address.pointee.sa_family)")
        }
    }

    private static func text(family: Int32, bytes: [UInt8]) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let result = bytes.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count))
        }
        guard result != nil else { return "unprintable address" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
