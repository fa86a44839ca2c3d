import AgentKit
import Curl
import Foundation

/// Asks the tenant's CRM who to write to: `GET <crm_lookup_url>?customer_ref=…&customer_name=…`
/// answered with `{"contacts": [{"email": "…", "name": "…", "role": "…"}]}`. Reached under the tenant
/// destination policy (no private addresses unless the operator allows them); a failure only means
/// the CRM has nothing to add.
struct CRMLookup {
    let url: String
    let environment: AgentEnvironment

    struct Answer: Decodable {
        struct Person: Decodable {
            var email: String
            var name: String?
            var role: String?
        }

        var contacts: [Person]
    }

    func contacts(customerReference: String, customerName: String) async -> Result<[Answer.Person], CRMLookupFailure> {
        guard var components = URLComponents(string: url) else { return .failure(CRMLookupFailure("the CRM look-up URL is not a URL")) }
        components.queryItems = (components.queryItems ?? []) + [
            URLQueryItem(name: "customer_ref", value: customerReference), URLQueryItem(name: "customer_name", value: customerName),
        ]
        guard let requestURL = components.string else { return .failure(CRMLookupFailure("the CRM look-up URL is not a URL")) }
        let request = HTTPRequest(url: requestURL, headers: [HTTPHeader("Accept", "application/json")],
                                  timeout: .seconds(10), maxResponseBytes: 1024 * 1024, policy: environment.tenantDestinations)
        do {
            let response = try await environment.curl.perform(request)
            guard (200..<300).contains(response.status) else {
                return .failure(CRMLookupFailure("the CRM answered HTTP \(response.status)"))
            }
            return .success(try JSONDecoder().decode(Answer.self, from: Data(response.body)).contacts)
        } catch let error as DecodingError {
            return .failure(CRMLookupFailure("the CRM's answer is not {\"contacts\": [...]}: \(error)"))
        } catch {
            return .failure(CRMLookupFailure("the CRM could not be asked: \(error)"))
        }
    }
}

struct CRMLookupFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
