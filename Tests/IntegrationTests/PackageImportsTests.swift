import Foundation
import Testing

/// Package.swift declares exactly what each target imports: no module is
/// imported that the target does not declare (it would build only because
/// another target happens to pull it in), and no declared dependency goes
/// unused. Read from the manifest's text and the sources' `import` lines.
@Suite struct PackageImportsTests {
    @Test func everyTargetDeclaresExactlyWhatItImports() throws {
        let root = Binary.repositoryRoot
        let manifest = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let targets = PackageManifest.targets(in: manifest)
        #expect(targets.count >= 10, "the manifest's targets were not found: \(targets.map(\.name))")
        let mismatches = PackageManifest.mismatches(targets) { target in
            PackageManifest.imports(inSwiftFilesUnder: root.appendingPathComponent(target.directory), excluding: target.excluded)
        }
        #expect(mismatches == [], "\(mismatches.joined(separator: "\n"))")
    }

    @Test func everySourceFolderIsATarget() throws {
        let root = Binary.repositoryRoot
        let manifest = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let declared = Set(PackageManifest.targets(in: manifest).map(\.directory))
        for top in ["Sources", "Tests"] {
            let folders = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(top).path)
            for folder in folders where folder != "Fuzz" {
                let directory = top + "/" + folder
                let hasSwift = !PackageManifest.swiftFiles(under: root.appendingPathComponent(directory), excluding: []).isEmpty
                #expect(!hasSwift || declared.contains(directory), "\(directory) holds Swift files but is no target")
            }
        }
    }

    /// The check itself: a missing and an unused dependency are both found.
    @Test func theCheckFindsMissingAndUnusedDependencies() {
        let manifest = """
            // .target(name: "Commented", dependencies: ["Nothing"]),
            var targets: [Target] = [
                .target(name: "A", dependencies: ["B", .product(name: "Logging", package: "swift-log")]),
                .target(
                    name: "B",
                    dependencies: [.product(name: "NIOCore", package: "https://github.com/apple/swift-nio")],
                    exclude: ["Golden"]
                ),
                .testTarget(name: "ATests", dependencies: ["A"]),
                .systemLibrary(name: "CLib", pkgConfig: "lib"),
            ]
            targets.append(.executableTarget(name: "Tool", dependencies: ["A"]))
            """
        let targets = PackageManifest.targets(in: manifest)
        #expect(targets.map(\.name) == ["A", "B", "ATests", "CLib", "Tool"])
        #expect(targets[1].excluded == ["Golden"])
        #expect(targets[2].directory == "Tests/ATests")
        let imports: [String: Set<String>] = [
            "A": ["B", "Logging", "Foundation"], "B": ["Glibc", "NIOPosix"], "ATests": ["A", "Testing"], "Tool": ["A", "B"],
        ]
        #expect(PackageManifest.mismatches(targets) { imports[$0.name] ?? [] } == [
            "B imports NIOPosix but does not declare it",
            "B declares NIOCore but does not import it",
            "Tool imports B but does not declare it",
        ])
        let swift = """
            import Foundation
            @testable import VertrouwdDaemon
            @preconcurrency import struct NIOCore.ByteBuffer
              import Logging // indented
            // import Commented
            let importantValue = 1
            """
        #expect(PackageManifest.imports(inSource: swift) == ["Foundation", "VertrouwdDaemon", "NIOCore", "Logging"])
    }
}

/// What a Package.swift's text says about its targets.
enum PackageManifest {
    struct Target {
        var name: String
        var kind: String
        /// Target names and product names (a product here is named after
        /// its one module).
        var dependencies: Set<String>
        var excluded: [String]

        var directory: String { (kind == "testTarget" ? "Tests/" : "Sources/") + name }
    }

    /// Modules of the toolchain and the system, which no manifest declares.
    static let systemModules: Set<String> = [
        "Foundation", "FoundationEssentials", "FoundationInternationalization", "FoundationNetworking",
        "Glibc", "Musl", "Darwin", "Dispatch", "Synchronization", "Testing", "XCTest", "Swift",
        "_Concurrency", "_StringProcessing", "RegexBuilder", "Observation", "Distributed", "os",
    ]

    /// Each target's declared and imported modules that differ, one line each.
    static func mismatches(_ targets: [Target], imports: (Target) -> Set<String>) -> [String] {
        var lines: [String] = []
        for target in targets where target.kind != "systemLibrary" {
            let imported = imports(target).subtracting(systemModules)
            for module in imported.subtracting(target.dependencies).sorted() {
                lines.append("\(target.name) imports \(module) but does not declare it")
            }
            for module in target.dependencies.subtracting(imported).sorted() {
                lines.append("\(target.name) declares \(module) but does not import it")
            }
        }
        return lines
    }

    /// The targets declared anywhere in the manifest (conditional ones too).
    static func targets(in manifest: String) -> [Target] {
        let text = Array(withoutComments(manifest))
        var targets: [Target] = []
        let kinds = ["target", "executableTarget", "testTarget", "systemLibrary", "plugin", "macro", "binaryTarget"]
        var i = 0
        while i < text.count {
            guard text[i] == ".", let kind = kinds.first(where: { matches(text, at: i + 1, $0 + "(") }) else {
                i = skipString(text, from: i)
                continue
            }
            let open = i + 1 + kind.count
            let close = matchingClose(text, from: open)
            let arguments = String(text[(open + 1)..<close])
            // `.target(name:)` inside a dependency list is a dependency, not a declaration.
            if let name = firstCapture(#"^\s*name:\s*"([^"]+)""#, in: arguments) {
                targets.append(Target(name: name, kind: kind,
                                      dependencies: Set(dependencies(in: list(after: "dependencies:", in: arguments))),
                                      excluded: strings(in: list(after: "exclude:", in: arguments))))
            }
            i = close + 1
        }
        return targets
    }

    /// The names in a dependency list: plain strings and `.product(name:)`,
    /// `.target(name:)`, `.byName(name:)`.
    static func dependencies(in list: String) -> [String] {
        let withoutPackages = list.replacingOccurrences(of: #"package:\s*"[^"]*""#, with: "", options: .regularExpression)
        return strings(in: withoutPackages)
    }

    static func strings(in text: String) -> [String] {
        allCaptures(#""([^"]*)""#, in: text)
    }

    /// The bracketed list that follows `label` at the top level of `arguments`.
    static func list(after label: String, in arguments: String) -> String {
        let text = Array(arguments)
        var depth = 0
        var i = 0
        while i < text.count {
            switch text[i] {
            case "(", "[": depth += 1
            case ")", "]": depth -= 1
            case "\"":
                i = skipString(text, from: i)
                continue
            default:
                if depth == 0, matches(text, at: i, label) {
                    var j = i + label.count
                    while j < text.count, text[j].isWhitespace { j += 1 }
                    guard j < text.count, text[j] == "[" else { return "" }
                    return String(text[(j + 1)..<matchingClose(text, from: j)])
                }
            }
            i += 1
        }
        return ""
    }

    /// The modules the Swift files under `directory` import.
    static func imports(inSwiftFilesUnder directory: URL, excluding excluded: [String]) -> Set<String> {
        var modules: Set<String> = []
        for file in swiftFiles(under: directory, excluding: excluded) {
            guard let source = try? String(contentsOf: file, encoding: .utf8) else { continue }
            modules.formUnion(imports(inSource: source))
        }
        return modules
    }

    static func swiftFiles(under directory: URL, excluding excluded: [String]) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { return [] }
        let skipped = excluded.map { directory.appendingPathComponent($0).standardizedFileURL.path + "/" }
        return walker.compactMap { $0 as? URL }.filter { url in
            url.pathExtension == "swift" && !skipped.contains { url.standardizedFileURL.path.hasPrefix($0) }
        }
    }

    /// The modules a source file imports, in order (`@testable`,
    /// `@preconcurrency`, `import struct M.T` included).
    static func imports(inSource source: String) -> [String] {
        // Multi-line strings may hold other code (a Python server, a sample).
        let code = source.replacingOccurrences(of: ##"(?s)#*"""[\s\S]*?"""#*"##, with: "", options: .regularExpression)
        return allCaptures(#"(?m)^[ \t]*(?:@\w+[ \t]+)*import[ \t]+(?:(?:typealias|struct|class|enum|protocol|let|var|func)[ \t]+)?(\w+)"#, in: code)
    }

    // MARK: - Scanning

    /// The manifest with `//` comments blanked out (string contents kept).
    static func withoutComments(_ text: String) -> String {
        var out: [Character] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            if chars[i] == "\"" {
                let end = skipString(chars, from: i)
                out += chars[i..<end]
                i = end
            } else if chars[i] == "/", i + 1 < chars.count, chars[i + 1] == "/" {
                while i < chars.count, chars[i] != "\n" { i += 1 }
            } else {
                out.append(chars[i])
                i += 1
            }
        }
        return String(out)
    }

    /// The index after the string literal starting at `i` (or `i + 1` when
    /// there is none).
    static func skipString(_ text: [Character], from i: Int) -> Int {
        guard text[i] == "\"" else { return i + 1 }
        var j = i + 1
        while j < text.count, text[j] != "\"" {
            j += text[j] == "\\" ? 2 : 1
        }
        return min(j + 1, text.count)
    }

    /// The index of the bracket that closes the one at `open`.
    static func matchingClose(_ text: [Character], from open: Int) -> Int {
        var depth = 0
        var i = open
        while i < text.count {
            switch text[i] {
            case "(", "[": depth += 1
            case ")", "]":
                depth -= 1
                if depth == 0 { return i }
            case "\"":
                i = skipString(text, from: i)
                continue
            default: break
            }
            i += 1
        }
        return text.count
    }

    static func matches(_ text: [Character], at i: Int, _ word: String) -> Bool {
        let w = Array(word)
        return i + w.count <= text.count && Array(text[i..<(i + w.count)]) == w
    }

    static func firstCapture(_ pattern: String, in text: String) -> String? {
        allCaptures(pattern, in: text).first
    }

    static func allCaptures(_ pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let range = NSRange(text.startIndex..., in: text)
        return regex.matches(in: text, range: range).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }
}
