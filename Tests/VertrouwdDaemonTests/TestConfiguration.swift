import Foundation
import Testing
import VertrouwdConfig
import VertrouwdCore
import VertrouwdStore

/// The small school the daemon's unit tests run: one category, one source,
/// one recipient by the socket route, e-mail off; the spool and the state
/// under `root`. `spool` lines go into `[spool]`, `extra` tables follow.
func schoolConfiguration(root: String, spool: String = "", extra: String = "") throws -> Configuration {
    try decodedConfiguration("""
        [school]
        name = "T"
        [spool]
        path = "\(root)/spool"
        \(spool)
        [state]
        path = "\(root)/state.db"
        [taxonomy]
        categories = ["grooming"]
        [[source]]
        name = "webfilter"
        [[recipient]]
        name = "vp"
        [delivery.email]
        mode = "off"
        [delivery.socket]
        path = "/run/x.sock"
        \(extra)
        """)
}

/// A config text as the daemon would load it; its report when it is not valid.
func decodedConfiguration(_ text: String) throws -> Configuration {
    let checked = ConfigLoader(fileSystem: InMemoryConfigFileSystem()).check(bytes: Array(text.utf8), file: "t")
    return try #require(checked.configuration, "\(checked.report)")
}

extension OutboxEntry {
    /// The text a socket message carries inside its JSON (a socket entry
    /// stores no text of its own: the socket sends the JSON line alone).
    var socketText: String {
        let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        return object?["text"] as? String ?? ""
    }
}
