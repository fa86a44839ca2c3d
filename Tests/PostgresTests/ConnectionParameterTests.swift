import Foundation
import Postgres
import TestSupport
import Testing

@Suite struct ConnectionParameterTests {
    /// `string` with one more libpq parameter, whether it is a URL or a conninfo string.
    func adding(_ keyword: String, _ value: String, to string: String) -> String {
        if string.contains("://") {
            let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
            return string + (string.contains("?") ? "&" : "?") + "\(keyword)=\(encoded)"
        }
        return string + " \(keyword)='\(value)'"
    }

    func workMem(_ configuration: PostgresConfiguration) async throws -> String {
        let connection = try await PostgresConnection.connect(configuration)
        return try await connection.query("SELECT current_setting('work_mem')")[0].decode(String.self, at: 0)
    }

    @Test func fallbackParametersApplyUnlessTheConnectionStringSetsThem() async throws {
        var configuration = PostgresConfiguration(connectionString: TestDatabase.serverURL)
        configuration.fallbackParameters = ["options": "-c work_mem=1234kB"]
        #expect(try await workMem(configuration) == "1234kB")

        configuration.connectionString = adding("options", "-c work_mem=2345kB", to: TestDatabase.serverURL)
        #expect(try await workMem(configuration) == "2345kB", "the operator's own setting wins")
    }
}
