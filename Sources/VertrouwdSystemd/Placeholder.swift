// Replaced by the systemd work (issue 6).
enum SystemdPlaceholder {}
