import AgentKit
import Foundation
import Postgres
import Store
import Testing

/// GET and PATCH /v1/settings: sender, mail server, webhook, CRM, inbound secret, reminder texts.
@Suite struct SettingsEndpointTests {
    static let everything = """
        {"sender_email": "ar@first.example", "sender_name": "First Co Receivables", "reply_to_email": "replies@first.example",
         "smtp_url": "smtps://mail.first.example:465", "smtp_security": "tls", "smtp_username": "ar",
         "smtp_password": "pässword-1", "webhook_url": "https://hooks.first.example/arrears",
         "webhook_secret": "whsec_0123456789abcdef", "crm_lookup_url": "https://crm.first.example/lookup",
         "inbound_secret": "inbound_0123456789abcdef", "signature": "Jane Roe\\nFirst Co", "payment_instructions": "IBAN DE00 1234"}
        """

    @Test func aTenantWithoutSettingsSeesTheDefaults() async throws {
        try await withAPI { client, fixture in
            let reply = try await client.get("/v1/settings", key: fixture.firstReadOnly)
            #expect(reply.status == 200)
            #expect(reply.string("object") == "settings")
            #expect(reply.string("smtp_security") == "starttls")
            for field in ["sender_email", "smtp_url", "webhook_url", "signature", "payment_instructions", "updated_at"] {
                #expect(reply.object[field] is NSNull, "\(field)")
            }
            for flag in ["smtp_password_set", "webhook_secret_set", "inbound_secret_set"] {
                #expect(reply.object[flag] as? Bool == false, "\(flag)")
            }
            #expect(try await client.get("/v1/settings?x=1", key: fixture.firstAdmin).status == 400)
        }
    }

    @Test func everyFieldIsStoredAndSecretsAreSealedNeverShown() async throws {
        try await withAPI { client, fixture in
            let reply = try await client.patch("/v1/settings", key: fixture.firstAdmin, Self.everything)
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.string("sender_email") == "ar@first.example")
            #expect(reply.string("sender_name") == "First Co Receivables")
            #expect(reply.string("reply_to_email") == "replies@first.example")
            #expect(reply.string("smtp_url") == "smtps://mail.first.example:465")
            #expect(reply.string("smtp_security") == "tls")
            #expect(reply.string("smtp_username") == "ar")
            #expect(reply.string("webhook_url") == "https://hooks.first.example/arrears")
            #expect(reply.string("crm_lookup_url") == "https://crm.first.example/lookup")
            #expect(reply.string("signature") == "Jane Roe\nFirst Co")
            #expect(reply.string("payment_instructions") == "IBAN DE00 1234")
            #expect(reply.string("updated_at") != nil)
            for flag in ["smtp_password_set", "webhook_secret_set", "inbound_secret_set"] {
                #expect(reply.object[flag] as? Bool == true, "\(flag)")
            }
            let shown = try await client.get("/v1/settings", key: fixture.firstReadOnly)
            #expect(shown.text == reply.text)
            for secret in ["pässword-1", "whsec_0123456789abcdef", "inbound_0123456789abcdef"] {
                #expect(!reply.text.contains(secret) && !shown.text.contains(secret))
            }
            #expect(!reply.text.contains("sealed"))

            // What the agents read: sealed bytes that open only for this tenant and column.
            let settings = try await fixture.store.withTenant(fixture.first.id, actor: "test") { try await $0.settings() }
            #expect(settings.senderEmail == "ar@first.example")
            #expect(settings.smtpSecurity == "tls")
            #expect(settings.signature == "Jane Roe\nFirst Co")
            #expect(settings.paymentInstructions == "IBAN DE00 1234")
            let box = APIFixture.secretBox
            let password = try #require(settings.smtpPasswordSealed)
            #expect(try box.open(password, purpose: "tenant:\(fixture.first.id):smtp_password").reveal() == "pässword-1")
            #expect(try box.open(#require(settings.webhookSecretSealed), purpose: TenantSecret.webhookSecret.purpose(tenantID: fixture.first.id))
                .reveal() == "whsec_0123456789abcdef")
            #expect(try box.open(#require(settings.inboundSecretSealed), purpose: TenantSecret.inboundSecret.purpose(tenantID: fixture.first.id))
                .reveal() == "inbound_0123456789abcdef")
            #expect(throws: SecretBoxError.cannotOpen) { try box.open(password, purpose: "tenant:\(fixture.second.id):smtp_password") }
            let row = try await fixture.pool.query("SELECT t::text FROM tenant_settings t WHERE tenant_id = \(fixture.first.id)")
            let stored = try row[0].decode(String.self, at: 0)
            #expect(!stored.contains("pässword") && !stored.contains("whsec_") && !stored.contains("inbound_0123"))

            let audit = try await client.get("/v1/audit-events?action=settings.updated", key: fixture.firstAdmin)
            #expect(audit.data.count == 1)
            let details = audit.data.first?["details"] as? [String: Any]
            #expect((details?["fields"] as? String)?.contains("smtp_password_sealed") == true)
            #expect(!audit.text.contains("pässword-1"))
        }
    }

    @Test func fieldsLeftOutStayAndNullClears() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstAdmin
            #expect(try await client.patch("/v1/settings", key: key, Self.everything).status == 200)
            let renamed = try await client.patch("/v1/settings", key: key, #"{"sender_name": "Accounts"}"#)
            #expect(renamed.string("sender_name") == "Accounts")
            #expect(renamed.string("sender_email") == "ar@first.example")
            #expect(renamed.object["smtp_password_set"] as? Bool == true)

            let cleared = try await client.patch("/v1/settings", key: key,
                                                 #"{"webhook_url": null, "webhook_secret": null, "signature": null, "inbound_secret": null}"#)
            #expect(cleared.status == 200)
            #expect(cleared.object["webhook_url"] is NSNull)
            #expect(cleared.object["webhook_secret_set"] as? Bool == false)
            #expect(cleared.object["inbound_secret_set"] as? Bool == false)
            #expect(cleared.object["signature"] is NSNull)
            #expect(cleared.object["smtp_password_set"] as? Bool == true)

            // A login goes with a password: both are cleared together, or neither.
            let halfLogin = try await client.patch("/v1/settings", key: key, #"{"smtp_password": null}"#)
            #expect(halfLogin.status == 422)
            #expect(halfLogin.errorFields == ["smtp_password"])
            let noLogin = try await client.patch("/v1/settings", key: key, #"{"smtp_username": null, "smtp_password": null}"#)
            #expect(noLogin.status == 200)
            #expect(noLogin.object["smtp_password_set"] as? Bool == false)

            let unchanged = try await client.patch("/v1/settings", key: key, "{}")
            #expect(unchanged.status == 200)
            #expect(unchanged.text == noLogin.text)
        }
    }

    @Test(arguments: [
        (#"{"sender_email": "not-an-address"}"#, 422, "sender_email"),
        (#"{"reply_to_email": "a@b@c"}"#, 422, "reply_to_email"),
        (#"{"sender_name": "Evil\r\nBcc: all@example.com"}"#, 422, "sender_name"),
        (#"{"smtp_security": "ssl"}"#, 422, "smtp_security"),
        (#"{"smtp_url": "http://mail.example.com"}"#, 422, "smtp_url"),
        (#"{"smtp_url": "smtp://user:pw@mail.example.com"}"#, 422, "smtp_url"),
        (#"{"smtp_url": "smtp://"}"#, 422, "smtp_url"),
        (#"{"smtp_url": "smtps://mail.example.com:465"}"#, 422, "smtp_url"),
        (#"{"smtp_security": "tls", "smtp_url": "smtp://mail.example.com"}"#, 422, "smtp_url"),
        (#"{"smtp_url": "smtp://mail.example.com", "smtp_username": "ar"}"#, 422, "smtp_password"),
        (#"{"smtp_url": "smtp://127.0.0.1:25"}"#, 422, "smtp_url"),
        (#"{"webhook_url": "ftp://hooks.example.com"}"#, 422, "webhook_url"),
        (#"{"webhook_url": "http://localhost:8080/hook"}"#, 422, "webhook_url"),
        (#"{"webhook_url": "http://10.0.0.5/hook"}"#, 422, "webhook_url"),
        (#"{"crm_lookup_url": "http://[::1]/crm"}"#, 422, "crm_lookup_url"),
        (#"{"crm_lookup_url": "https://169.254.169.254/latest"}"#, 422, "crm_lookup_url"),
        (#"{"webhook_secret": "short"}"#, 422, "webhook_secret"),
        (#"{"inbound_secret": "has spaces in it, sixteen+"}"#, 422, "inbound_secret"),
        (#"{"smtp_password": ""}"#, 422, "smtp_password"),
        (#"{"signature": 5}"#, 400, "signature"),
        (#"{"smtp_security": null}"#, 400, "smtp_security"),
        (#"{"sender_email": ["a@b.example"]}"#, 400, "sender_email"),
        (#"{"smtp_passwd": "x"}"#, 400, "smtp_passwd"),
    ] as [(String, Int, String)])
    func badValuesAreRefusedAndNothingIsWritten(body: String, status: Int, field: String) async throws {
        try await withAPI { client, fixture in
            let reply = try await client.patch("/v1/settings", key: fixture.firstAdmin, body)
            #expect(reply.status == status, "\(body): \(reply.text)")
            #expect(reply.errorFields.contains(field), "\(body): \(reply.text)")
            #expect(try await client.get("/v1/settings", key: fixture.firstAdmin).object["updated_at"] is NSNull)
        }
    }

    @Test func privateURLsAreAllowedWhenTheOperatorSaysSo() async throws {
        try await withAPI(outboundPolicy: .privateAddressesAllowed) { client, fixture in
            let reply = try await client.patch("/v1/settings", key: fixture.firstAdmin,
                                               #"{"smtp_url": "smtp://127.0.0.1:2525", "smtp_security": "none", "webhook_url": "http://localhost:9000/hook"}"#)
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.string("smtp_url") == "smtp://127.0.0.1:2525")
        }
    }

    @Test func secretsNeedTheOperatorsKey() async throws {
        try await withAPI(secretBox: nil) { client, fixture in
            let key = fixture.firstAdmin
            let refused = try await client.patch("/v1/settings", key: key,
                                                 #"{"sender_name": "AR", "smtp_password": "pw", "inbound_secret": "inbound_0123456789abcdef"}"#)
            #expect(refused.status == 422)
            #expect(refused.errorCode == "secret_key_not_configured")
            #expect(refused.text.contains("ARREARS_SECRET_KEY"))
            #expect(Set(refused.errorFields) == ["smtp_password", "inbound_secret"])
            #expect(try await client.get("/v1/settings", key: key).object["sender_name"] is NSNull, "nothing was written")

            let plain = try await client.patch("/v1/settings", key: key, #"{"sender_name": "AR", "smtp_password": null}"#)
            #expect(plain.status == 200, "clearing needs no key")
            #expect(plain.string("sender_name") == "AR")
        }
    }

    @Test func readOnlyKeysMayLookButNotChange() async throws {
        try await withAPI { client, fixture in
            let reply = try await client.patch("/v1/settings", key: fixture.firstReadOnly, #"{"sender_name": "X"}"#)
            #expect(reply.status == 403)
            #expect(try await client.get("/v1/settings", key: fixture.firstReadOnly).object["sender_name"] is NSNull)
            #expect(try await client.patch("/v1/settings", key: nil, #"{"sender_name": "X"}"#).status == 401)
        }
    }
}
