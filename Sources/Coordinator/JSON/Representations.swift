import Queue
import Store

/// How each stored record appears in the API. Keys are snake_case, instants RFC 3339 UTC,
/// calendar dates ISO `YYYY-MM-DD`, money integer minor units beside its currency.
protocol JSONRepresentable: Sendable {
    func write(to json: inout JSONWriter)
}

extension Tenant: JSONRepresentable {
    func write(to json: inout JSONWriter) {
        json.object {
            $0.field("object", "tenant")
            $0.field("id", id)
            $0.field("slug", slug)
            $0.field("name", name)
            $0.field("status", status)
            $0.field("time_zone", timeZone)
            $0.field("created_at", createdAt)
            $0.field("updated_at", updatedAt)
        }
    }
}

extension APIKey: JSONRepresentable {
    func write(to json: inout JSONWriter) {
        write(to: &json, secret: nil)
    }

    /// The secret appears once, in the answer to the request that issued the key.
    func write(to json: inout JSONWriter, secret: String?) {
        json.object {
            $0.field("object", "api_key")
            $0.field("id", id)
            $0.field("tenant_id", tenantID)
            $0.field("prefix", prefix)
            $0.field("role", role.rawValue)
            $0.field("name", name)
            if let secret { $0.field("key", secret) }
            $0.field("created_at", createdAt)
            $0.field("last_used_at", lastUsedAt)
            $0.field("revoked_at", revokedAt)
        }
    }
}

extension Customer: JSONRepresentable {
    func write(to json: inout JSONWriter) {
        json.object {
            $0.field("object", "customer")
            $0.field("id", id)
            $0.field("external_ref", externalRef)
            $0.field("name", name)
            $0.field("currency", currency)
            $0.field("time_zone", timeZone)
            $0.field("language", language)
            $0.field("account_owner_email", accountOwnerEmail)
            $0.field("is_key_account", isKeyAccount)
            $0.field("is_consumer", isConsumer)
            $0.field("status", status)
            $0.field("paused_until", pausedUntil)
            $0.field("escalation_level", escalationLevel)
            $0.field("next_review_at", nextReviewAt)
            $0.field("created_at", createdAt)
            $0.field("updated_at", updatedAt)
        }
    }
}

extension Contact: JSONRepresentable {
    func write(to json: inout JSONWriter) {
        json.object {
            $0.field("object", "contact")
            $0.field("id", id)
            $0.field("customer_id", customerID)
            $0.field("name", name)
            $0.field("email", email)
            $0.field("role", role)
            $0.field("is_primary", isPrimary)
            $0.field("status", status)
            $0.field("source", source)
            $0.field("created_at", createdAt)
            $0.field("updated_at", updatedAt)
        }
    }
}

extension Invoice: JSONRepresentable {
    func write(to json: inout JSONWriter) {
        json.object {
            $0.field("object", "invoice")
            $0.field("id", id)
            $0.field("customer_id", customerID)
            $0.field("number", number)
            $0.field("issued_on", issuedOn)
            $0.field("due_on", dueOn)
            $0.field("amount", amount)
            $0.field("open_amount", openAmount)
            $0.field("currency", currency)
            $0.field("status", status)
            $0.field("created_at", createdAt)
            $0.field("updated_at", updatedAt)
        }
    }
}

extension Payment: JSONRepresentable {
    func write(to json: inout JSONWriter) {
        json.object {
            $0.field("object", "payment")
            $0.field("id", id)
            $0.field("customer_id", customerID)
            $0.field("amount", amount)
            $0.field("currency", currency)
            $0.field("received_on", receivedOn)
            $0.field("reference", reference)
            $0.key("allocations")
            $0.array { array in
                for allocation in allocations {
                    array.object {
                        $0.field("invoice_id", allocation.invoiceID)
                        $0.field("amount", allocation.amount)
                    }
                }
            }
            $0.field("unallocated_amount", unallocatedAmount)
            $0.field("created_at", createdAt)
        }
    }
}

extension Promise: JSONRepresentable {
    func write(to json: inout JSONWriter) {
        json.object {
            $0.field("object", "promise")
            $0.field("id", id)
            $0.field("customer_id", customerID)
            $0.field("promised_on", promisedOn)
            $0.field("amount", amount)
            $0.field("currency", currency)
            $0.field("invoice_ids", invoiceIDs)
            $0.field("status", status)
            $0.field("source_message_id", sourceMessageID)
            $0.field("note", note)
            $0.field("resolved_at", resolvedAt)
            $0.field("created_at", createdAt)
        }
    }
}

extension Dispute: JSONRepresentable {
    func write(to json: inout JSONWriter) {
        json.object {
            $0.field("object", "dispute")
            $0.field("id", id)
            $0.field("customer_id", customerID)
            $0.field("invoice_ids", invoiceIDs)
            $0.field("reason", reason)
            $0.field("status", status)
            $0.field("assignee", assignee)
            $0.field("resolution", resolution)
            $0.field("source_message_id", sourceMessageID)
            $0.field("resolved_at", resolvedAt)
            $0.field("created_at", createdAt)
        }
    }
}

extension Message: JSONRepresentable {
    func write(to json: inout JSONWriter) {
        json.object {
            $0.field("object", "message")
            $0.field("id", id)
            $0.field("customer_id", customerID)
            $0.field("contact_id", contactID)
            $0.field("direction", direction)
            $0.field("message_id", messageID)
            $0.field("in_reply_to", inReplyTo)
            $0.field("references", references)
            $0.field("from", fromAddress)
            $0.field("to", toAddresses)
            $0.field("cc", ccAddresses)
            $0.field("subject", subject)
            $0.field("body_text", bodyText)
            $0.field("status", status)
            $0.field("stage", stage)
            $0.field("tone", tone)
            $0.field("invoice_ids", invoiceIDs)
            $0.field("classification", classification)
            $0.field("error", error)
            $0.field("sent_at", sentAt)
            $0.field("received_at", receivedAt)
            $0.field("created_at", createdAt)
        }
    }
}

extension Escalation: JSONRepresentable {
    func write(to json: inout JSONWriter) {
        json.object {
            $0.field("object", "escalation")
            $0.field("id", id)
            $0.field("customer_id", customerID)
            $0.field("from_level", fromLevel)
            $0.field("level", level)
            $0.field("reasons", reasons)
            $0.field("owner_email", ownerEmail)
            $0.field("owner_notified_via", ownerNotifiedVia)
            $0.field("owner_notified_at", ownerNotifiedAt)
            $0.field("status", status)
            $0.field("created_at", createdAt)
            $0.field("resolved_at", resolvedAt)
        }
    }
}

extension AuditEvent: JSONRepresentable {
    func write(to json: inout JSONWriter) {
        json.object {
            $0.field("object", "audit_event")
            $0.field("id", id)
            $0.field("customer_id", customerID)
            $0.field("actor", actor)
            $0.field("action", action)
            $0.field("reasons", reasons)
            $0.key("details")
            $0.raw(details)
            $0.field("task_id", taskID)
            $0.field("created_at", createdAt)
        }
    }
}

extension Page where Item: JSONRepresentable {
    /// `{"object": "list", "data": [...], "has_more": bool}`; the next page starts after the last id.
    func write(to json: inout JSONWriter) {
        json.object {
            $0.field("object", "list")
            $0.key("data")
            $0.array { array in
                for item in items { item.write(to: &array) }
            }
            $0.field("has_more", hasMore)
        }
    }
}

extension TaskRecord: JSONRepresentable {
    func write(to json: inout JSONWriter) {
        let running = state == .running
        json.object {
            $0.field("object", "task")
            $0.field("id", id)
            $0.field("kind", kind)
            $0.field("state", state.rawValue)
            $0.field("customer_id", customerID)
            $0.key("payload")
            $0.raw(payload.text)
            $0.field("priority", Int(priority))
            $0.field("run_at", runAt)
            $0.field("attempt", attempt)
            $0.field("max_attempts", maxAttempts)
            $0.field("last_error", lastError)
            $0.field("dedupe_key", dedupeKey)
            $0.field("created_at", createdAt)
            $0.field("started_at", startedAt)
            $0.field("finished_at", finishedAt)
            $0.field("worker", worker)
            $0.field("lease_owner", running ? worker : nil)
            $0.field("lease_expires_at", leaseExpiresAt)
            $0.field("cancel_requested", cancelRequested)
        }
    }
}

extension TenantSettings: JSONRepresentable {
    /// Secrets never leave the server, sealed or not: only whether each is set.
    func write(to json: inout JSONWriter) {
        json.object {
            $0.field("object", "settings")
            $0.field("sender_email", senderEmail)
            $0.field("sender_name", senderName)
            $0.field("reply_to_email", replyToEmail)
            $0.field("smtp_url", smtpURL)
            $0.field("smtp_security", smtpSecurity)
            $0.field("smtp_username", smtpUsername)
            $0.field("smtp_password_set", smtpPasswordSealed != nil)
            $0.field("webhook_url", webhookURL)
            $0.field("webhook_secret_set", webhookSecretSealed != nil)
            $0.field("crm_lookup_url", crmLookupURL)
            $0.field("inbound_secret_set", inboundSecretSealed != nil)
            $0.field("signature", signature)
            $0.field("payment_instructions", paymentInstructions)
            $0.field("updated_at", updatedAt)
        }
    }
}
