// The example config's addresses must not go live unnoticed. The shipped
// Config/vertrouwd.toml (which `make install` copies to /etc) uses
// addresses at `example.invalid`, a domain that can never receive mail
// (RFC 2606, RFC 6761). A config that still names such an address as a
// recipient, as `from` or as `reply_to` is refused, at the key's position, by
// `check-config` and by the daemon alike: the school has not yet said who
// receives its alerts.
extension Decoding {
    /// True for an address whose domain is `invalid` or ends in `.invalid`.
    static func isExampleAddress(_ address: String) -> Bool {
        guard let at = address.lastIndex(of: "@") else { return false }
        let domain = address[address.index(after: at)...].lowercased()
        return domain == "invalid" || domain.hasSuffix(".invalid")
    }

    /// Reports `key` of `t` when it holds an example address; true when it did.
    @discardableResult
    func refuseExampleAddress(_ t: TableReader, _ key: String, _ address: String) -> Bool {
        guard Self.isExampleAddress(address), let value = t.value(key) else { return false }
        let what = key == "from" ? "the sender address" : key == "reply_to" ? "the reply address" : "the example recipients"
        context.error(at: value, "\"\(key)\" is an example address (\"\(address)\"): replace \(what) with the school's own before going live",
                      hint: "addresses at .invalid never receive mail; put the real address here, then run `vertrouwd check-config`")
        return true
    }
}
