import CCurl

/// A libcurl easy handle with typed option setters, owning everything libcurl borrows
/// from it (header lists, the error buffer) until the handle is cleaned up.
final class EasyHandle {
    let raw: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var lists: [UnsafeMutablePointer<curl_slist>] = []

    init() throws {
        CurlGlobal.initialize()
        guard let raw = curl_easy_init() else {
            throw CurlError(code: CURLE_FAILED_INIT, detail: "curl_easy_init returned no handle")
        }
        self.raw = raw
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
    }

    deinit {
        curl_easy_cleanup(raw)
        lists.forEach { curl_slist_free_all($0) }
        errorBuffer.deallocate()
    }

    func set(_ option: CURLoption, _ value: Int) throws {
        try check(ccurl_setopt_long(raw, option, value), option)
    }

    func set(_ option: CURLoption, _ value: Bool) throws {
        try set(option, value ? 1 : 0)
    }

    func set(_ option: CURLoption, _ value: String) throws {
        // libcurl copies string options, so the C string only has to outlive the call.
        try check(value.withCString { ccurl_setopt_string(raw, option, $0) }, option)
    }

    func set(_ option: CURLoption, offset value: Int64) throws {
        try check(ccurl_setopt_off_t(raw, option, curl_off_t(value)), option)
    }

    func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) throws {
        try check(ccurl_setopt_pointer(raw, option, value), option)
    }

    /// Sets a list option; the list lives as long as the handle, as libcurl requires.
    func set(_ option: CURLoption, lines: [String]) throws {
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines {
            guard let extended = curl_slist_append(list, line) else {
                if let list { curl_slist_free_all(list) }
                throw CurlError(code: CURLE_OUT_OF_MEMORY)
            }
            list = extended
        }
        guard let list else { return }
        lists.append(list)
        try check(ccurl_setopt_slist(raw, option, list), option)
    }

    func set(_ option: CURLoption, write callback: curl_write_callback) throws {
        try check(ccurl_setopt_write_function(raw, option, callback), option)
    }

    func setRead(_ callback: curl_read_callback) throws {
        try check(ccurl_setopt_read_function(raw, callback), CURLOPT_READFUNCTION)
    }

    func setOpenSocket(_ callback: curl_opensocket_callback) throws {
        try check(ccurl_setopt_opensocket_function(raw, callback), CURLOPT_OPENSOCKETFUNCTION)
    }

    func info(_ info: CURLINFO) -> Int {
        var value = 0
        return ccurl_getinfo_long(raw, info, &value) == CURLE_OK ? value : 0
    }

    /// libcurl's detail text for the last failure on this handle, often naming the cause
    /// (the certificate problem, the server's reply) where the code alone does not.
    var errorText: String {
        String(cString: errorBuffer)
    }

    private func check(_ code: CURLcode, _ option: CURLoption) throws {
        guard code == CURLE_OK else {
            throw CurlError(code: code, detail: "setting curl option \(option.rawValue)")
        }
    }
}

/// `curl_global_init` must run once per process before any other libcurl call.
enum CurlGlobal {
    private static let result: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))

    static func initialize() {
        guard result == CURLE_OK else {
            fatalError("curl_global_init failed: \(String(cString: curl_easy_strerror(result)))")
        }
    }
}
