import Foundation
import Testing

/// The documentation cannot go stale against the code: every STATUS line
/// and every log message at notice level and above is in vertrouwd(8)'s
/// DIAGNOSTICS, and no document points at a file outside the repository.
extension Integration {
    @Suite struct DocumentationCoverageTests {
        static let root = Binary.repositoryRoot

        /// Every Swift file under Sources/, with its path.
        static func sources() throws -> [(path: String, text: String)] {
            let base = root.appendingPathComponent("Sources").path
            var found: [(path: String, text: String)] = []
            let e = FileManager.default.enumerator(atPath: base)
            while let path = e?.nextObject() as? String {
                guard path.hasSuffix(".swift") else { continue }
                found.append(("Sources/" + path, try String(contentsOfFile: base + "/" + path, encoding: .utf8)))
            }
            return found.sorted { $0.0 < $1.0 }
        }

        /// A string literal's text segments between interpolations, each
        /// trimmed of the spaces and punctuation around it; segments of
        /// fewer than 4 characters ("to", "by") say nothing and are left out.
        static func segments(_ literal: Substring) -> [String] {
            var parts: [String] = []
            var current = ""
            var depth = 0
            var i = literal.startIndex
            while i < literal.endIndex {
                let c = literal[i]
                let next = literal.index(after: i)
                if depth == 0, c == "\\", next < literal.endIndex, literal[next] == "(" {
                    parts.append(current)
                    current = ""
                    depth = 1
                    i = literal.index(after: next)
                    continue
                }
                if depth > 0 {
                    if c == "(" { depth += 1 }
                    if c == ")" { depth -= 1 }
                } else {
                    current.append(c)
                }
                i = next
            }
            parts.append(current)
            let trim = CharacterSet.whitespaces.union(CharacterSet(charactersIn: ":;,()"))
            return parts.map { $0.trimmingCharacters(in: trim) }.filter { $0.count >= 4 }
        }

        /// The first string literal after `start` on the same line: the
        /// text between its quotes, with interpolations (which may hold
        /// quotes) kept whole.
        static func literal(after start: String.Index, in line: Substring) -> Substring? {
            guard let open = line[start...].firstIndex(of: "\"") else { return nil }
            var depth = 0
            var i = line.index(after: open)
            while i < line.endIndex {
                let c = line[i]
                if c == "\\" {
                    let next = line.index(after: i)
                    guard next < line.endIndex else { return nil }
                    if line[next] == "(" { depth += 1; i = line.index(after: next); continue }
                    i = line.index(after: next)
                    continue
                }
                if depth > 0 {
                    if c == "(" { depth += 1 }
                    if c == ")" { depth -= 1 }
                } else if c == "\"" {
                    return line[line.index(after: open)..<i]
                }
                i = line.index(after: i)
            }
            return nil
        }

        /// (where, literal) of every logger call at notice or above and every
        /// STATUS text in Sources/.
        static func operatorMessages() throws -> [(place: String, literal: Substring)] {
            let calls = [/logger\.(?:notice|warning|error|critical)\(/,
                         /logger\.log\(level: [^,]*\.(?:notice|warning|error|critical)[^,]*,/]
            let statuses = [/\.status\(/, /notify\((?:true|false),\s/]
            var found: [(place: String, literal: Substring)] = []
            for (path, text) in try sources() {
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    for pattern in calls + statuses {
                        for match in line.matches(of: pattern) {
                            // .status(status), a variable: its texts are the notify( calls.
                            guard let literal = literal(after: match.range.upperBound, in: line),
                                  line[match.range.upperBound...].hasPrefix("\"") else { continue }
                            found.append((place: "\(path):\(number + 1)", literal: literal))
                        }
                    }
                }
            }
            return found
        }

        /// The DIAGNOSTICS section of vertrouwd(8), roff escapes and
        /// quotes taken out and white space collapsed.
        static func diagnostics() throws -> String {
            let page = try DocumentationTests.manText("man/vertrouwd.8")
            let start = try #require(page.range(of: "\n.SH DIAGNOSTICS\n"))
            let end = page.range(of: "\n.SH ", range: start.upperBound..<page.endIndex)?.lowerBound ?? page.endIndex
            return String(page[start.upperBound..<end])
                .replacingOccurrences(of: "\"", with: "")
                .split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        }

        @Test func everyStatusAndNoticeLogLineIsInDiagnostics() throws {
            let messages = try Self.operatorMessages()
            // The daemon's known messages are all found (the scan works).
            let all = messages.map { String($0.literal) }
            for known in ["degraded: ", "watching the spool", "resumed: the state", "alert: rule ", "refused: ", "stopping"] {
                #expect(all.contains { $0.contains(known) }, "the scan of Sources/ missed \"\(known)\"")
            }
            #expect(messages.count >= 25, "found only \(messages.count)")
            let section = try Self.diagnostics()
            for (place, literal) in messages {
                for segment in Self.segments(literal) {
                    let words = segment.split(separator: " ").joined(separator: " ")
                    #expect(section.contains(words),
                            "\(place): \"\(literal)\" is not in DIAGNOSTICS of man/vertrouwd.8 (missing: \"\(words)\")")
                }
            }
        }

        @Test func segmentsSplitAtInterpolations() {
            #expect(Self.segments("message \\(entry.id) to \\(entry.recipient): \\(reason); retrying in \\(at - now) s")
                    == ["message", "retrying in"])
            #expect(Self.segments("reload: cannot set up delivery (\\(error)); messages keep going")
                    == ["reload: cannot set up delivery", "messages keep going"])
            #expect(Self.segments("\\(text)").isEmpty)
        }

        // MARK: - Nothing outside the repository

        /// README.md, CHANGELOG.md, docs/*.md and the man pages.
        static func documents() throws -> [String] {
            let docs = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("docs").path)
                .filter { $0.hasSuffix(".md") }.map { "docs/" + $0 }
            let man = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("man").path)
                .map { "man/" + $0 }
            return (["README.md", "CHANGELOG.md"] + docs + man).sorted()
        }

        @Test func noDocumentPointsOutsideTheRepository() throws {
            let documents = try Self.documents()
            #expect(documents.contains("docs/development.md") && documents.contains("docs/dpia.md"))
            let repository = Self.root.standardizedFileURL.path
            for document in documents {
                let text = try String(contentsOf: Self.root.appendingPathComponent(document), encoding: .utf8)
                let folder = Self.root.appendingPathComponent(document).deletingLastPathComponent()
                // Markdown links to files: they exist, inside the repository.
                for match in text.matches(of: /\]\(([^)\s#]+)(#[^)]*)?\)/) {
                    let target = String(match.1)
                    if target.contains("://") || target.hasPrefix("mailto:") { continue }
                    let resolved = folder.appendingPathComponent(target).standardizedFileURL.path
                    #expect(resolved.hasPrefix(repository + "/"), "\(document) links to \(target), outside the repository")
                    #expect(FileManager.default.fileExists(atPath: resolved), "\(document) links to \(target), which does not exist")
                }
                // Relative paths up out of the document's folder stay inside.
                for match in text.matches(of: /(?:\.\.\/)+[A-Za-z0-9_.\-\/]*/) {
                    let resolved = folder.appendingPathComponent(String(match.0)).standardizedFileURL.path
                    #expect(resolved.hasPrefix(repository + "/") || resolved == repository,
                            "\(document) names \(match.0), outside the repository")
                }
                // The development machine's folders are not the reader's.
                for needle in ["/work/", "shared/DESIGN", "shared/CONFIG", "shared/STYLE"] {
                    #expect(!text.contains(needle), "\(document) names \(needle)")
                }
            }
        }
    }
}
