import Foundation
import Postgres
import TestSupport
import Testing

@Suite struct TypeRoundTripTests {
    @Test func scalarsComeBackAsSent() async throws {
        try await withTestDatabase(template: "template0") { pool, _ in
            let id = UUID()
            let instant = Date(timeIntervalSince1970: 1_795_000_000.123456)
            let text = "O'Brien; DROP TABLE x; -- \"quoted\" Grüße €"
            let row = try await pool.query("""
                SELECT \(Int32(-42))::int, \(Int64.max)::bigint, \(text)::text, \(true)::bool, \(id)::uuid,
                       \(PostgresDate(year: 2026, month: 2, day: 28))::date, \(instant)::timestamptz
                """)[0]
            let (int, bigint, string, bool, uuid, date, timestamp) =
                try row.decode((Int32, Int64, String, Bool, UUID, PostgresDate, Date).self)
            #expect(int == -42)
            #expect(bigint == Int64.max)
            #expect(string == text)
            #expect(bool)
            #expect(uuid == id)
            #expect(date == PostgresDate(year: 2026, month: 2, day: 28))
            #expect(abs(timestamp.timeIntervalSince(instant)) < 0.000_001)
        }
    }

    @Test func jsonbAndByteaKeepTheirContent() async throws {
        try await withTestDatabase(template: "template0") { pool, _ in
            let bytes = Data([0, 1, 2, 255, 0, 39, 92])
            let json = PostgresJSON(#"{"amount": 12050, "note": "it's \"fine\""}"#)
            let row = try await pool.query("SELECT \(json)::jsonb, \(bytes)::bytea")[0]
            let (decodedJSON, decodedBytes) = try row.decode((PostgresJSON, Data).self)
            struct Payload: Decodable, Equatable { var amount: Int; var note: String }
            #expect(try decodedJSON.decode(Payload.self) == Payload(amount: 12050, note: #"it's "fine""#))
            #expect(decodedBytes == bytes)
        }
    }

    @Test func arraysOfIntegersAndTextWithAwkwardElements() async throws {
        try await withTestDatabase(template: "template0") { pool, _ in
            let texts = ["plain", "with,comma", "with \"quote\"", "back\\slash", "", "{braces}"]
            let row = try await pool.query("""
                SELECT \([Int32(1), -2, 3]), \([Int64(9_000_000_000), 0]), \(texts), \([Int64]())::bigint[],
                       ARRAY['a', NULL]::text[]
                """)[0]
            #expect(try row.decode([Int32].self, at: 0) == [1, -2, 3])
            #expect(try row.decode([Int64].self, at: 1) == [9_000_000_000, 0])
            #expect(try row.decode([String].self, at: 2) == texts)
            #expect(try row.decode([Int64].self, at: 3) == [])
            #expect(try row.decode([String?].self, at: 4) == ["a", nil])
        }
    }

    @Test func arrayParametersOfEveryElementTypeWithNulls() async throws {
        try await withTestDatabase(template: "template0") { pool, _ in
            let id = UUID()
            let texts: [String?] = ["Grüße €", nil, "NULL", "a\tb\nc", "日本"]
            let dates = [PostgresDate(year: 1999, month: 12, day: 31), PostgresDate(year: 2026, month: 2, day: 28)]
            let row = try await pool.query("""
                SELECT \(texts), \([true, false]), \([id])::text[], \(dates)::text, \([Int64?.none, 7]), \([Int(-1)]),
                       cardinality(\(texts)), array_length(\([String]()), 1)
                """)[0]
            #expect(try row.decode([String?].self, at: 0) == texts)
            #expect(try row.decode([Bool].self, at: 1) == [true, false])
            #expect(try row.decode([String].self, at: 2) == [id.uuidString.lowercased()])
            #expect(try row.decode(String.self, at: 3) == "{1999-12-31,2026-02-28}")
            #expect(try row.decode([Int64?].self, at: 4) == [nil, 7])
            #expect(try row.decode([Int64].self, at: 5) == [-1])
            #expect(try row.decode(Int.self, at: 6) == 5)
            #expect(try row.decode(Int?.self, at: 7) == nil)
        }
    }

    @Test func nullsNeedOptionals() async throws {
        try await withTestDatabase(template: "template0") { pool, _ in
            let missing: String? = nil
            let row = try await pool.query("SELECT \(missing)::text AS note")[0]
            #expect(try row.decode(String?.self, column: "note") == nil)
            #expect(throws: PostgresError.self) { try row.decode(String.self, column: "note") }
        }
    }

    @Test func sumsOfBigintsArriveAsExactIntegers() async throws {
        try await withTestDatabase(template: "template0") { pool, _ in
            let row = try await pool.query("""
                SELECT sum(x), 12345.6700::numeric, (-0.05)::numeric FROM unnest(\([Int64.max / 2, 10])) AS x
                """)[0]
            #expect(try row.decode(Int64.self, at: 0) == Int64.max / 2 + 10)
            #expect(try row.decode(String.self, at: 1) == "12345.6700")
            #expect(try row.decode(String.self, at: 2) == "-0.05")
        }
    }

    @Test func composedQueriesKeepTheirParametersInOrder() async throws {
        try await withTestDatabase(template: "template0") { pool, _ in
            var query: PostgresQuery = "SELECT x FROM generate_series(\(1), \(10)) AS x WHERE true"
            query.append(" AND x >= \(4)")
            query.append(" AND x <> \(5) AND '$1' = '$1'")
            let rows = try await pool.query(query + " ORDER BY x LIMIT \(3)")
            #expect(try rows.map { try $0.decode(Int.self, at: 0) } == [4, 6, 7])
        }
    }
}
