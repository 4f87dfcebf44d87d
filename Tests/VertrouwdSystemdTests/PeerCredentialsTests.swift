import Foundation
import Testing
import VertrouwdSystemd

#if canImport(Glibc)
import Glibc
#endif

@Suite struct PeerCredentialsTests {
    @Test func aSocketPairShowsThisProcess() throws {
        var fds: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        let peer = try #require(PeerCredentials.of(fds[0]))
        #expect(peer.pid == getpid())
        #expect(peer.uid == getuid())
        #expect(peer.gid == getgid())
    }

    @Test func aPipeHasNoPeer() {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        #expect(PeerCredentials.of(fds[0]) == nil)
        #expect(PeerCredentials.of(-1) == nil)
    }

    @Test func unknownGroupsGrantNothing() {
        #expect(!PeerCredentials.isMember(uid: getuid(), gid: getgid(), ofAnyGroup: []))
        #expect(!PeerCredentials.isMember(uid: getuid(), gid: getgid(), ofAnyGroup: ["vertrouwd-no-such-group"]))
    }

    /// Creates a group and a user in it with groupadd/useradd (root only),
    /// checks membership, and removes both.
    @Test func membershipThroughTheUserDatabase() throws {
        guard getuid() == 0, hasProgram("groupadd"), hasProgram("useradd") else {
            print("skipped: creating a test user and group needs root and groupadd/useradd")
            return
        }
        let suffix = String(getpid())
        let group = "vtsubmit\(suffix)"
        let other = "vtother\(suffix)"
        let user = "vtproducer\(suffix)"
        #expect(try run(["groupadd", "--system", group]).status == 0)
        #expect(try run(["groupadd", "--system", other]).status == 0)
        #expect(try run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                         "--user-group", "--groups", group, user]).status == 0)
        defer {
            _ = try? run(["userdel", user])
            _ = try? run(["groupdel", group])
            _ = try? run(["groupdel", other])
        }
        let account = try #require(getpwnam(user)).pointee
        let groupID = try #require(getgrnam(group)).pointee.gr_gid

        // A supplementary group of the user counts.
        #expect(PeerCredentials.isMember(uid: account.pw_uid, gid: account.pw_gid, ofAnyGroup: [group]))
        #expect(PeerCredentials.isMember(uid: account.pw_uid, gid: account.pw_gid, ofAnyGroup: ["nope", group]))
        // A group the user is not in does not.
        #expect(!PeerCredentials.isMember(uid: account.pw_uid, gid: account.pw_gid, ofAnyGroup: [other]))
        // The peer's own primary gid counts, even for a uid without an account.
        #expect(PeerCredentials.isMember(uid: 3_999_999, gid: groupID, ofAnyGroup: [group]))
        #expect(!PeerCredentials.isMember(uid: 3_999_999, gid: 3_999_999, ofAnyGroup: [group]))
        // Root is not special.
        #expect(!PeerCredentials.isMember(uid: 0, gid: 0, ofAnyGroup: [group]))
    }
}
