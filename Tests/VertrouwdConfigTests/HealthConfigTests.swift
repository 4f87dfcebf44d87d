import Foundation
import Testing
import VertrouwdCore
@testable import VertrouwdConfig

/// `receives = ["health"]` and `[[source]] expect_every` (issue 15 §1).
@Suite struct HealthConfigTests {
    @Test func healthIsAReceiveKindAndNotADefault() throws {
        let (c, diagnostics) = decode(minimalConfig + """
            [[recipient]]
            name = "ict"
            email = "ict@school.nl"
            receives = ["health"]

            """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let config = try #require(c)
        #expect(config.recipients.map(\.receives) == [[.alerts, .summaries], [.health]])
    }

    @Test func expectEveryIsTheSilenceLimitOfItsSource() throws {
        let text = minimalConfig.replacingOccurrences(of: "name = \"webfilter\"\n", with: "name = \"webfilter\"\nexpect_every = \"36h\"\n")
            + "[[recipient]]\nname = \"ict\"\nemail = \"ict@school.nl\"\nreceives = [\"health\"]\n"
        let (c, diagnostics) = decode(text)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let config = try #require(c)
        #expect(config.silenceLimits == ["webfilter": .hours(36)])
        let summary = ConfigSummary.render(config)
        #expect(summary.contains("sources: 1 (webfilter [expected every 36h])"), "\(summary)")
        #expect(summary.contains("  ict: health in nl via e-mail"), "\(summary)")
    }

    @Test func aSilenceLimitWithoutAHealthRecipientIsWarnedAbout() throws {
        let text = minimalConfig.replacingOccurrences(of: "name = \"webfilter\"\n", with: "name = \"webfilter\"\nexpect_every = \"1d\"\n")
        let (c, diagnostics) = decode(text)
        #expect(c != nil, "a warning, not an error")
        #expect(diagnostics.count == 1)
        let d = try #require(diagnostics.first)
        #expect(d.severity == .warning)
        #expect(d.message.contains("no recipient receives \"health\""), "\(d.message)")
    }
}
