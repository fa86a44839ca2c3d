#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension OutboundPolicy {
    /// Whether a URL's host, as written, may be reached: under `publicAddressesOnly`, an IP
    /// literal of an internal network (also in the short and numeric IPv4 forms libcurl accepts,
    /// such as `127.1` or `2130706433`) and `localhost` are refused. Names are judged on every
    /// address they resolve to when a connection is made; this catches what the text shows, so
    /// a tenant hears about it when saving the URL rather than at the first delivery.
    public func permits(host: String) -> Bool {
        if allowPrivateAddresses { return true }
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name.hasSuffix(".") { name.removeLast() }
        if name.isEmpty || name == "localhost" || name.hasSuffix(".localhost") { return false }
        // An IPv6 literal may carry a zone ("fe80::1%eth0"); the address decides.
        let address = String(name.split(separator: "%", maxSplits: 1, omittingEmptySubsequences: false)[0])
        var ipv6 = in6_addr()
        if inet_pton(AF_INET6, address, &ipv6) == 1 {
            return !InternalAddress.contains(ipv6: withUnsafeBytes(of: &ipv6) { Array($0) })
        }
        var ipv4 = in_addr()
        if inet_aton(name, &ipv4) != 0 {
            return !InternalAddress.contains(ipv4: withUnsafeBytes(of: &ipv4) { Array($0) })
        }
        return true
    }
}
