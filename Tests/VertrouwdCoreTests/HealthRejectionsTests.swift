import Testing
import VertrouwdCore

/// Issue 13, finding 13: which "Rejected" rows a summary shows does not
/// depend on a count below k.
@Suite struct HealthRejectionsTests {
    let policy = PrivacyPolicy() // k = 5, round_to = 5

    func rows(_ health: [String: Int]) -> [String] {
        HealthRejections.rows(health, policy: policy).map { "\($0.key) \($0.value)" }
    }

    @Test func aReasonBelowKHasNoRowOfItsOwn() {
        #expect(rows(["accepted": 40, "pii_phone": 1]) == ["other <5"])
        #expect(rows(["accepted": 40, "pii_phone": 4, "bad_id": 2]) == ["other 5"])
    }

    @Test func theRowsAreTheSameForZeroAndForCountsBelowK() {
        let none = rows(["accepted": 40])
        for n in 1..<5 {
            #expect(rows(["accepted": 40, "pii_phone": n]) == none, "pii_phone \(n)")
            #expect(rows(["accepted": 40, "pii_phone": n, "unknown_site": 12]) == rows(["accepted": 40, "unknown_site": 12]))
        }
    }

    @Test func reasonsAtKOrMoreAreListedRoundedThenOther() {
        #expect(rows(["accepted": 40, "duplicate": 9, "unknown_site": 12, "file_symlink": 5, "pii_email": 3])
            == ["file_symlink 5", "unknown_site 10", "other <5"])
    }
}
