import Foundation
import Testing
import VertrouwdAdapters
import VertrouwdCore

@Suite struct DomainListTests {
    let categories = Fixture.taxonomy.categories

    @Test func readsPairsCommentsAndBlankLines() {
        let list = DomainList(bytes: Array("""
            # a comment
            helpwanted.nl   help_seeking   # trailing comment

            \tWWW.Clothoff.IO.\timage.shared\r
            """.utf8), categories: categories)
        #expect(list.problems.isEmpty)
        #expect(list.entries.map(\.domain) == ["helpwanted.nl", "www.clothoff.io"])
        #expect(list.entries.map(\.line) == [2, 4])
    }

    @Test func reportsEachProblemAtItsLineAndColumn() {
        let list = DomainList(bytes: Array("""
            helpwanted.nl help_seking
              lonely.example
            a.example grooming extra
            not_a/domain grooming
            nl grooming
            """.utf8), categories: categories)
        #expect(list.entries.isEmpty)
        let found = list.problems.map { "\($0.line):\($0.column) \($0.message)" }
        #expect(found == [
            "1:15 unknown category \"help_seking\"",
            "2:3 a domain without a category",
            "3:20 more than a domain and a category on one line",
            "4:1 \"not_a/domain\" is not a domain name",
            "5:1 \"nl\" is not a domain name",
        ])
        #expect(list.problems[0].hint == "did you mean \"help_seeking\"?")
    }

    @Test func aDomainMatchesItsSubdomainsAndTheMostSpecificWins() {
        let m = Fixture.matcher("""
            nudify.example image.shared
            safe.nudify.example help_seeking
            """)
        #expect(m.category(of: "nudify.example") == "image.shared")
        #expect(m.category(of: "a.b.nudify.example") == "image.shared")
        #expect(m.category(of: "x.safe.nudify.example") == "help_seeking")
        #expect(m.category(of: "notnudify.example") == nil)
        #expect(m.category(of: "example") == nil)
    }

    /// The shipped lists load without a problem against the shipped taxonomy.
    @Test(arguments: ["help.list", "nudify.list", "videochat.list"])
    func theShippedListsAreValid(name: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let data = try Data(contentsOf: root.appendingPathComponent("Config/domains/\(name)"))
        let list = DomainList(bytes: [UInt8](data), categories: categories)
        #expect(list.problems.isEmpty, "\(list.problems)")
        #expect(list.entries.count >= 5)
    }
}

@Suite struct SubnetTests {
    func net(_ s: String) -> IPNetwork { IPNetwork(cidr: s)! }

    @Test func parsesIPv4AndIPv6Networks() {
        #expect(IPNetwork(cidr: "10.1.0.0/16")?.prefixLength == 16)
        #expect(IPNetwork(cidr: "2001:db8:40::/48")?.prefixLength == 48)
        #expect(IPNetwork(cidr: "10.1.2.3")?.prefixLength == 32)
        #expect(IPNetwork(cidr: "::/0")?.prefixLength == 0)
        for bad in ["10.1.2.3/16", "10.1.0.0/33", "10.1.0/16", "2001:db8::/129", "hoofdgebouw", "10.1.0.0/", "1:2:3:4:5:6:7:8:9/64", ""] {
            #expect(IPNetwork(cidr: bad) == nil, "\(bad)")
        }
    }

    @Test func theMostSpecificNetworkWins() {
        let map = SubnetMap([
            SubnetValue(network: net("10.1.0.0/16"), value: "hoofdgebouw"),
            SubnetValue(network: net("10.1.40.0/24"), value: "klas-4"),
            SubnetValue(network: net("2001:db8:40::/48"), value: "dependance"),
        ])
        #expect(map.value(for: IPAddress("10.1.40.23")!) == "klas-4")
        #expect(map.value(for: IPAddress("10.1.41.23")!) == "hoofdgebouw")
        #expect(map.value(for: IPAddress("::ffff:10.1.40.9")!) == "klas-4")
        #expect(map.value(for: IPAddress("2001:db8:40:1::5")!) == "dependance")
        #expect(map.value(for: IPAddress("2001:db8:41::5")!) == nil)
        #expect(map.value(for: IPAddress("10.2.0.1")!) == nil)
    }
}

@Suite struct LineKeyTests {
    let key = LineKey(bytes: Array(repeating: 7, count: 32))

    @Test func aLineHasOneIDUnderOneKey() {
        let line = ArraySlice("[1] unbound info: rpz: applied x".utf8)
        let id = key.signalID(of: line)
        #expect(id == key.signalID(of: line))
        #expect(id != LineKey(bytes: Array(repeating: 8, count: 32)).signalID(of: line))
        #expect(id != key.signalID(of: ArraySlice("[2] unbound info: rpz: applied x".utf8)))
        #expect(id.count == 32 && id.allSatisfy { $0.isHexDigit })
    }

    /// The weekly subject: one per device per week, unlinkable across
    /// weeks, in the format of a signal's `subject`, without a digit.
    @Test func theWeeklySubjectRotatesEachWeek() {
        let a = IPAddress("10.1.40.23")!, b = IPAddress("10.1.40.24")!
        let week = key.weeklySubject(of: a, week: 2_918)
        #expect(week == key.weeklySubject(of: a, week: 2_918))
        #expect(week != key.weeklySubject(of: a, week: 2_919))
        #expect(week != key.weeklySubject(of: b, week: 2_918))
        #expect(week != LineKey(bytes: Array(repeating: 9, count: 32)).weeklySubject(of: a, week: 2_918))
        #expect(week.count == 32 && week.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "p")).contains($0) })
    }
}
