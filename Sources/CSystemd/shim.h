// The parts of libsystemd that vertrouwd uses: readiness and watchdog
// notification, socket activation, and the native journal protocol.
#ifndef VERTROUWD_CSYSTEMD_SHIM_H
#define VERTROUWD_CSYSTEMD_SHIM_H
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#endif
