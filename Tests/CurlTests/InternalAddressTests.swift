import Foundation
import TestSupport
import Testing
@testable import Curl

/// Which resolved addresses the outbound policy refuses, decided without any network.
struct InternalAddressTests {
    @Test(arguments: [
        "127.0.0.1", "127.8.9.10", "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.254",
        "192.168.1.1", "169.254.169.254", "100.64.0.1", "100.127.255.255", "0.0.0.0", "0.1.2.3",
        "224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1",
    ])
    func refusesInternalIPv4(_ address: String) {
        #expect(InternalAddress.contains(ipv4: bytes(AF_INET, address)))
    }

    @Test(arguments: [
        "8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.1", "192.169.0.1", "100.63.255.255",
        "100.128.0.1", "169.253.1.1", "11.0.0.1", "126.255.255.255", "223.255.255.255",
    ])
    func allowsPublicIPv4(_ address: String) {
        #expect(!InternalAddress.contains(ipv4: bytes(AF_INET, address)))
    }

    @Test(arguments: [
        "::", "::1", "fe80::1", "febf::1", "fec0::1", "fc00::1", "fd12:3456::1", "ff02::1",
        "::ffff:127.0.0.1", "::ffff:10.1.2.3", "::ffff:192.168.0.1", "::ffff:169.254.169.254",
        "::127.0.0.1", "64:ff9b::10.0.0.1", "64:ff9b::127.0.0.1",
    ])
    func refusesInternalIPv6(_ address: String) {
        #expect(InternalAddress.contains(ipv6: bytes(AF_INET6, address)))
    }

    @Test(arguments: [
        "2001:4860:4860::8888", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::8.8.8.8",
        "fbff::1", "fe00::1",
    ])
    func allowsPublicIPv6(_ address: String) {
        #expect(!InternalAddress.contains(ipv6: bytes(AF_INET6, address)))
    }

    private func bytes(_ family: Int32, _ text: String) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: family == AF_INET ? 4 : 16)
        let parsed = buffer.withUnsafeMutableBytes { inet_pton(family, text, $0.baseAddress) }
        precondition(parsed == 1, "not an address: \(text)")
        return buffer
    }
}
