// PeerCredentials — who is on the other end of a Unix socket (SO_PEERCRED)
// and whether that user belongs to one of the groups allowed to submit.
//
// Security stance: the kernel's credentials of the connecting process are
// trusted, nothing the peer says. Group membership is the peer's primary
// gid or a supplementary group of its user in the user database
// (getpwuid_r + getgrouplist); root gets no exception and must be a member
// like everyone else. Unknown group names and users grant nothing.
// Logs nothing; the caller decides what a refusal logs.
#if canImport(Glibc)
import Glibc
#endif

/// Credentials of a Unix socket peer.
public enum PeerCredentials {
    /// The pid, uid and gid of the process that connected `fd` (as they
    /// were at connect time), or nil when `fd` is not a connected Unix
    /// socket.
    public static func of(_ fd: Int32) -> (pid: Int32, uid: UInt32, gid: UInt32)? {
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; } — three 32-bit
        // words; Glibc hides the struct itself behind _GNU_SOURCE.
        var words = [UInt32](repeating: 0, count: 3)
        var length = socklen_t(3 * MemoryLayout<UInt32>.size)
        let code = words.withUnsafeMutableBytes {
            getsockopt(fd, SOL_SOCKET, SO_PEERCRED, $0.baseAddress, &length)
        }
        let pid = Int32(bitPattern: words[0])
        guard code == 0, length == socklen_t(3 * MemoryLayout<UInt32>.size), pid > 0 else { return nil }
        return (pid, words[1], words[2])
    }

    /// Whether the user `uid` with primary group `gid` belongs to any of
    /// the groups `names`: `gid` itself, or any group getgrouplist(3) lists
    /// for the user `uid` names in the user database. Root is not special.
    public static func isMember(uid: UInt32, gid: UInt32, ofAnyGroup names: [String]) -> Bool {
        let allowed = Set(names.compactMap(groupID(named:)))
        guard !allowed.isEmpty else { return false }
        if allowed.contains(gid) { return true }
        return !allowed.isDisjoint(with: groups(ofUser: uid))
    }

    /// The gid of the group `name`, or nil when there is none.
    static func groupID(named name: String) -> gid_t? {
        var group = Glibc.group()
        var result: UnsafeMutablePointer<Glibc.group>?
        var size = 1024
        while size <= 1 << 20 {
            // The strings in `group` point into `buffer`: it is allocated
            // by hand so that it outlives every use of them.
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: size)
            defer { buffer.deallocate() }
            let code = getgrnam_r(name, &group, buffer, size, &result)
            if code == ERANGE { size *= 2; continue }
            guard code == 0, let result else { return nil }
            return result.pointee.gr_gid
        }
        return nil
    }

    /// The groups of the user `uid` per the user database (primary and
    /// supplementary), or none when the user is unknown.
    static func groups(ofUser uid: uid_t) -> [gid_t] {
        var user = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var size = 1024
        while size <= 1 << 20 {
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: size)
            defer { buffer.deallocate() }
            let code = getpwuid_r(uid, &user, buffer, size, &result)
            if code == ERANGE { size *= 2; continue }
            guard code == 0, let result, let name = result.pointee.pw_name else { return [] }
            return groupList(name: name, primary: result.pointee.pw_gid)
        }
        return []
    }

    private static func groupList(name: UnsafePointer<CChar>, primary: gid_t) -> [gid_t] {
        var count: Int32 = 64
        while count <= 65536 {
            var list = [gid_t](repeating: 0, count: Int(count))
            var found = count
            if getgrouplist(name, primary, &list, &found) >= 0 {
                return Array(list.prefix(Int(found)))
            }
            // -1: too small; `found` now holds the number needed.
            count = max(found, count * 2)
        }
        return []
    }
}
