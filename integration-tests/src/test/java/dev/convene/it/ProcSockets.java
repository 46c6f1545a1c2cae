package dev.convene.it;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The inet sockets a process holds, read from Linux's /proc: the socket inodes among its open files
 * ({@code /proc/PID/fd}), looked up in {@code /proc/PID/net/{tcp,tcp6,udp,udp6}}.
 */
final class ProcSockets {
    /** One socket: protocol, local and remote address. */
    record Socket(String protocol, InetAddress local, int localPort, InetAddress remote, int remotePort) {
        @Override
        public String toString() {
            return protocol + " " + local.getHostAddress() + ":" + localPort + " -> " + remote.getHostAddress() + ":" + remotePort;
        }
    }

    private ProcSockets() {
    }

    static boolean supported() {
        return Files.isDirectory(Path.of("/proc/self/fd")) && Files.isReadable(Path.of("/proc/self/net/tcp"));
    }

    /** The process's inet sockets now; empty if it has exited. */
    static Set<Socket> of(long pid) {
        Set<String> inodes = socketInodes(pid);
        Set<Socket> sockets = new LinkedHashSet<>();
        if (inodes.isEmpty()) return sockets;
        for (String protocol : List.of("tcp", "tcp6", "udp", "udp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", protocol));
            } catch (IOException e) {
                continue; // the process exited, or no such table
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && inodes.contains(f[9])) {
                    sockets.add(new Socket(protocol, address(f[1]), port(f[1]), address(f[2]), port(f[2])));
                }
            }
        }
        return sockets;
    }

    private static Set<String> socketInodes(long pid) {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) inodes.add(target.substring(8, target.length() - 1));
                } catch (IOException closedMeanwhile) {
                    // the descriptor closed between listing and reading
                }
            }
        } catch (IOException exited) {
            return Set.of();
        }
        return inodes;
    }

    /** Decodes {@code 0100007F:1E78} (IPv4) or 32 hex digits (IPv6), each 32-bit word little-endian. */
    static InetAddress address(String hexAddressAndPort) {
        String hex = hexAddressAndPort.substring(0, hexAddressAndPort.indexOf(':'));
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                int at = word * 8 + (3 - b) * 2;
                bytes[word * 4 + b] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        try {
            return InetAddress.getByAddress(bytes); // an IPv4-mapped IPv6 address comes back as IPv4
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address " + hexAddressAndPort, e);
        }
    }

    static int port(String hexAddressAndPort) {
        return new BigInteger(hexAddressAndPort.substring(hexAddressAndPort.indexOf(':') + 1), 16).intValue();
    }
}
