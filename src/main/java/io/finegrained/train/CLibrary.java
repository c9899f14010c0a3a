package io.finegrained.train;

/** The few C library calls the engine's settings need, through JNA (a dependency of DJL's api). */
interface CLibrary extends com.sun.jna.Library {
    CLibrary INSTANCE = com.sun.jna.Native.load("c", CLibrary.class);

    /** POSIX setenv: libgomp and glibc read the C library's environment, which the JVM cannot change. */
    int setenv(String name, String value, int overwrite);

    /** glibc's mallopt; returns 1 on success. Absent from other C libraries (UnsatisfiedLinkError). */
    int mallopt(int param, int value);
}
