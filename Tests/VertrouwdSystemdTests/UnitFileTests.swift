import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The units, sysusers.d and tmpfiles.d entries as `make install-files`
/// installs them (into a DESTDIR, with a stand-in binary), checked with
/// systemd-analyze.
@Suite(.serialized) struct UnitFileTests {
    /// Installs into a fresh DESTDIR and returns it.
    func install(prefix: String = "/usr") throws -> String {
        let root = try makeTemporaryFolder("destdir")
        let result = try run(["make", "--no-print-directory", "-C", packageRoot, "install-files",
                              "DESTDIR=\(root)", "PREFIX=\(prefix)", "INSTALL_BIN=/bin/true"])
        #expect(result.status == 0, "\(result.output)")
        return root
    }

    /// The DESTDIR made into a root systemd-analyze can load units from:
    /// the host's targets and slices (for the default dependencies) and
    /// /bin/kill (ExecReload).
    func makeAnalyzable(_ root: String) throws {
        let unitDir = root + "/usr/lib/systemd/system"
        let hostUnits = try FileManager.default.contentsOfDirectory(atPath: "/usr/lib/systemd/system")
        for name in hostUnits where name.hasSuffix(".target") || name.hasSuffix(".slice") {
            let target = unitDir + "/" + name
            if !FileManager.default.fileExists(atPath: target) {
                _ = try? FileManager.default.copyItem(atPath: "/usr/lib/systemd/system/" + name, toPath: target)
            }
        }
        try FileManager.default.createDirectory(atPath: root + "/bin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "/bin/kill", toPath: root + "/bin/kill")
    }

    @Test func installPutsEverythingInItsPlace() throws {
        let root = try install()
        defer { try? FileManager.default.removeItem(atPath: root) }
        for path in ["/usr/bin/vertrouwd", "/usr/lib/systemd/system/vertrouwd.service",
                     "/usr/lib/systemd/system/vertrouwd-submit.socket",
                     "/usr/lib/sysusers.d/vertrouwd.conf", "/usr/lib/tmpfiles.d/vertrouwd.conf",
                     "/etc/vertrouwd/vertrouwd.toml"] {
            #expect(FileManager.default.fileExists(atPath: root + path), "\(path) missing")
        }
        let unit = try String(contentsOfFile: root + "/usr/lib/systemd/system/vertrouwd.service", encoding: .utf8)
        #expect(unit.contains("\nExecStart=/usr/bin/vertrouwd run --config /etc/vertrouwd/vertrouwd.toml\n"))
        #expect(!unit.contains("@BINDIR@"))
        var st = stat()
        #expect(stat(root + "/etc/vertrouwd/vertrouwd.toml", &st) == 0)
        #expect(st.st_mode & 0o777 == 0o640)
    }

    @Test func installWithAnotherPrefixRunsThatBinary() throws {
        let root = try install(prefix: "/usr/local")
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(FileManager.default.fileExists(atPath: root + "/usr/local/bin/vertrouwd"))
        let unit = try String(contentsOfFile: root + "/usr/local/lib/systemd/system/vertrouwd.service", encoding: .utf8)
        #expect(unit.contains("\nExecStart=/usr/local/bin/vertrouwd run "))
    }

    @Test func installNeverOverwritesTheAdminsConfig() throws {
        let root = try install()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let config = root + "/etc/vertrouwd/vertrouwd.toml"
        try "# the school's own\n".write(toFile: config, atomically: false, encoding: .utf8)
        let again = try run(["make", "--no-print-directory", "-C", packageRoot, "install-files",
                             "DESTDIR=\(root)", "INSTALL_BIN=/bin/true"])
        #expect(again.status == 0, "\(again.output)")
        #expect(try String(contentsOfFile: config, encoding: .utf8) == "# the school's own\n")
    }

    /// Every `Documentation=` of every installed unit names something
    /// `make install-files` installed: a `file:` under the DESTDIR, a
    /// `man:` page in the man folder of the same PREFIX.
    @Test(arguments: ["/usr", "/usr/local"])
    func everyDocumentationTargetIsInstalled(prefix: String) throws {
        let root = try install(prefix: prefix)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let unitDir = root + prefix + "/lib/systemd/system"
        let units = try FileManager.default.contentsOfDirectory(atPath: unitDir).sorted()
        #expect(units.contains("vertrouwd.service"))
        var targets = 0
        for unit in units {
            let text = try String(contentsOfFile: unitDir + "/" + unit, encoding: .utf8)
            let lines = text.split(separator: "\n").filter { $0.hasPrefix("Documentation=") }
            #expect(!lines.isEmpty, "\(unit) has no Documentation=")
            for target in lines.flatMap({ $0.dropFirst("Documentation=".count).split(separator: " ") }) {
                targets += 1
                if target.hasPrefix("file:") {
                    let path = String(target.dropFirst("file:".count))
                    #expect(path.hasPrefix(prefix + "/share/doc/vertrouwd/"), "\(unit): \(target)")
                    #expect(FileManager.default.fileExists(atPath: root + path), "\(unit): \(target) is not installed")
                } else if let match = target.wholeMatch(of: /man:([a-z.\-]+)\(([0-9])\)/) {
                    let page = root + prefix + "/share/man/man\(match.2)/\(match.1).\(match.2)"
                    #expect(FileManager.default.fileExists(atPath: page), "\(unit): \(target) is not installed")
                } else {
                    Issue.record("\(unit): \(target) is neither a file: nor a man: target")
                }
            }
        }
        #expect(targets >= 4)
        // The README an admin is pointed at is the one in the repository.
        let readme = try String(contentsOfFile: root + prefix + "/share/doc/vertrouwd/README.md", encoding: .utf8)
        #expect(readme == (try String(contentsOfFile: packageRoot + "/README.md", encoding: .utf8)))
    }

    /// `make uninstall` takes away every file install-files put in place
    /// and nothing else: the config, the state and the spool stay.
    @Test func uninstallRemovesWhatInstallInstalledButNoData() throws {
        let root = try install()
        defer { try? FileManager.default.removeItem(atPath: root) }
        func files() -> Set<String> {
            var found: Set<String> = []
            let e = FileManager.default.enumerator(atPath: root)
            while let path = e?.nextObject() as? String {
                var st = stat()
                if lstat(root + "/" + path, &st) == 0, st.st_mode & S_IFMT != S_IFDIR { found.insert("/" + path) }
            }
            return found
        }
        let installed = files()
        #expect(installed.contains("/usr/share/doc/vertrouwd/README.md"))
        #expect(installed.contains("/usr/share/man/man8/vertrouwd.8"))
        // Data a running school would have.
        for folder in ["/var/lib/vertrouwd", "/var/spool/vertrouwd/new"] {
            try FileManager.default.createDirectory(atPath: root + folder, withIntermediateDirectories: true)
        }
        try "state".write(toFile: root + "/var/lib/vertrouwd/state.db", atomically: false, encoding: .utf8)
        try "{}".write(toFile: root + "/var/spool/vertrouwd/new/waiting", atomically: false, encoding: .utf8)

        let result = try run(["make", "--no-print-directory", "-C", packageRoot, "uninstall", "DESTDIR=\(root)"])
        #expect(result.status == 0, "\(result.output)")
        // The config and the domain lists are the school's to edit: kept,
        // like the data (README: deleting all data).
        let lists = try FileManager.default.contentsOfDirectory(atPath: packageRoot + "/Config/domains")
            .filter { $0.hasSuffix(".list") }.map { "/etc/vertrouwd/domains/" + $0 }
        #expect(!lists.isEmpty)
        #expect(files() == Set(["/etc/vertrouwd/vertrouwd.toml", "/var/lib/vertrouwd/state.db", "/var/spool/vertrouwd/new/waiting"] + lists),
                "left after uninstall: \(files().sorted())")
        #expect(!FileManager.default.fileExists(atPath: root + "/usr/share/doc/vertrouwd"))
    }

    @Test func unitsVerifyClean() throws {
        let root = try install()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try makeAnalyzable(root)
        let units = root + "/usr/lib/systemd/system/"
        // --root: ExecStart= and ExecReload= binaries are looked up in the
        // DESTDIR. Unknown keys are only warnings (status 0), so the output
        // must be empty too.
        // --man=no: verify would run man(1) on the host for man:vertrouwd(8);
        // everyDocumentationTargetIsInstalled checks the page in the DESTDIR.
        let result = try run(["systemd-analyze", "verify", "--man=no", "--root=\(root)",
                              units + "vertrouwd.service", units + "vertrouwd-submit.socket"], in: root)
        #expect(result.status == 0)
        #expect(result.output.isEmpty, "systemd-analyze verify: \(result.output)")
    }

    /// systemd-sysusers and systemd-tmpfiles applied to the DESTDIR as
    /// they would be to a real system: the users, groups and spool modes.
    @Test func sysusersAndTmpfilesMakeTheSpool() throws {
        let root = try install()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let sysusers = try run(["systemd-sysusers", "--root=\(root)", root + "/usr/lib/sysusers.d/vertrouwd.conf"])
        #expect(sysusers.status == 0, "\(sysusers.output)")
        let tmpfiles = try run(["systemd-tmpfiles", "--create", "--root=\(root)", root + "/usr/lib/tmpfiles.d/vertrouwd.conf"])
        #expect(tmpfiles.status == 0, "\(tmpfiles.output)")

        // name -> (id, members) from the DESTDIR's /etc/group and /etc/passwd.
        func table(_ file: String) throws -> [String: [String]] {
            let text = try String(contentsOfFile: root + file, encoding: .utf8)
            return Dictionary(text.split(separator: "\n").map { line in
                let parts = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                return (parts[0], parts)
            }, uniquingKeysWith: { first, _ in first })
        }
        let users = try table("/etc/passwd")
        let groups = try table("/etc/group")
        let daemon = try #require(users["vertrouwd"])
        let submit = try #require(groups["vertrouwd-submit"])
        let daemonGroup = try #require(groups["vertrouwd"])
        #expect(daemon[6] == "/usr/sbin/nologin")
        // The daemon reads files that arrive with the group vertrouwd-submit.
        #expect(submit[3].split(separator: ",").contains("vertrouwd"))

        func expectFolder(_ path: String, mode: mode_t, owner: String, group: String) {
            var st = stat()
            #expect(lstat(root + path, &st) == 0, "\(path) missing")
            #expect(st.st_mode & S_IFMT == S_IFDIR)
            #expect(st.st_mode & 0o7777 == mode, "\(path): mode \(String(st.st_mode & 0o7777, radix: 8))")
            #expect(String(st.st_uid) == owner, "\(path): owner")
            #expect(String(st.st_gid) == group, "\(path): group")
        }
        expectFolder("/var/spool/vertrouwd", mode: 0o755, owner: daemon[2], group: submit[2])
        expectFolder("/var/spool/vertrouwd/tmp", mode: 0o2730, owner: daemon[2], group: submit[2])
        expectFolder("/var/spool/vertrouwd/new", mode: 0o2730, owner: daemon[2], group: submit[2])
        expectFolder("/var/spool/vertrouwd/cur", mode: 0o700, owner: daemon[2], group: daemonGroup[2])
        expectFolder("/var/spool/vertrouwd/quarantine", mode: 0o700, owner: daemon[2], group: daemonGroup[2])
        expectFolder("/etc/vertrouwd", mode: 0o750, owner: "0", group: daemonGroup[2])
    }

    @Test func securityExposureIsAtMostOnePointFive() throws {
        let root = try install()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try makeAnalyzable(root)
        // systemd 252 supports --offline=true together with --root=.
        let result = try run(["systemd-analyze", "security", "--offline=true", "--root=\(root)",
                              "--no-pager", "vertrouwd.service"], in: root)
        let line = try #require(result.output.split(separator: "\n").first { $0.contains("Overall exposure level") },
                                "no overall exposure in: \(result.output)")
        // "→ Overall exposure level for vertrouwd.service: 1.1 OK 🙂"
        let afterColon = try #require(line.split(separator: ":").last)
        let score = try #require(Double(afterColon.split(separator: " ").first ?? ""))
        print("systemd-analyze security exposure of vertrouwd.service: \(score)")
        #expect(score <= 1.5)
    }
}
