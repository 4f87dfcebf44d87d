// The domain lists of an adapter, read from the globs in its `lists`:
// `vertrouwd adapt` matches against them, `vertrouwd check-config`
// validates them. Problems are printed as FILE:LINE:COL with the line and a
// caret, like config errors; a list holds domains and categories only, the
// school's own words, never pupils' data.
import Foundation
import VertrouwdAdapters
import VertrouwdConfig
import VertrouwdCore

#if canImport(Glibc)
import Glibc
#endif

/// An adapter's lists, merged, and everything wrong with them.
struct LoadedLists {
    var matcher = DomainMatcher()
    var files: [String] = []
    /// Rendered diagnostics, "" when there are none.
    var report = ""
    var errorCount = 0
}

/// The files a glob pattern names, sorted; a pattern without wildcards
/// names itself (so a missing file is reported as missing).
func expandGlob(_ pattern: String) -> [String] {
    guard pattern.contains(where: { "*?[".contains($0) }) else { return [pattern] }
    var result = glob_t()
    defer { globfree(&result) }
    guard glob(pattern, 0, nil, &result) == 0 else { return [] }
    return (0..<Int(result.gl_pathc)).compactMap { result.gl_pathv[$0].map { String(cString: $0) } }.sorted()
}

func loadDomainLists(_ adapter: AdapterSettings, taxonomy: Taxonomy, fileSystem: any ConfigFileSystem) -> LoadedLists {
    var loaded = LoadedLists()
    var firstSeen: [String: (file: String, line: Int, category: String)] = [:]
    for pattern in adapter.lists {
        let files = expandGlob(pattern)
        if files.isEmpty {
            loaded.report += "\(pattern): error: no domain list matches this pattern (adapter \"\(adapter.name)\")\n"
            loaded.errorCount += 1
            continue
        }
        for file in files {
            let bytes: [UInt8]
            do {
                bytes = try fileSystem.contents(of: file)
            } catch {
                loaded.report += "\(file): error: \(error.reason) (a domain list of adapter \"\(adapter.name)\")\n"
                loaded.errorCount += 1
                continue
            }
            loaded.files.append(file)
            let list = DomainList(bytes: bytes, categories: taxonomy.categories)
            var diagnostics = list.problems.map {
                Diagnostic.error(at: SourcePosition(line: $0.line, column: $0.column), length: $0.length, $0.message, hint: $0.hint)
            }
            for entry in list.entries {
                if let first = firstSeen[entry.domain] {
                    if first.category != entry.category {
                        diagnostics.append(.error(at: SourcePosition(line: entry.line, column: 1), length: entry.domain.count,
                                                  "\"\(entry.domain)\" is already listed as \(first.category)",
                                                  hint: "first listed at \(first.file):\(first.line); a domain has one category"))
                    }
                    continue
                }
                firstSeen[entry.domain] = (file, entry.line, entry.category)
                loaded.matcher.add([entry])
            }
            if !diagnostics.isEmpty {
                loaded.report += DiagnosticRenderer.render(diagnostics, file: file, source: String(decoding: bytes, as: UTF8.self))
                loaded.errorCount += diagnostics.count
            }
        }
    }
    return loaded
}

/// What check-config prints for an adapter.
func adapterSummary(_ adapter: AdapterSettings, _ lists: LoadedLists, statePath: String) -> String {
    let byCategory = lists.matcher.countsByCategory.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
    var line = "adapter \(adapter.name): \(adapter.format.rawValue), \(lists.files.count) list file\(lists.files.count == 1 ? "" : "s"), "
    line += "\(lists.matcher.count) domains" + (byCategory.isEmpty ? "" : " (\(byCategory.joined(separator: ", ")))")
    line += "; \(adapter.sites.count) site subnet\(adapter.sites.count == 1 ? "" : "s"), \(adapter.cohorts.count) cohort subnet\(adapter.cohorts.count == 1 ? "" : "s")"
    if !adapter.categories.isEmpty { line += ", \(adapter.categories.count) filter categories" }
    if !adapter.groups.isEmpty { line += ", \(adapter.groups.count) filter groups" }
    return line + "; state \(statePath)\n"
}
