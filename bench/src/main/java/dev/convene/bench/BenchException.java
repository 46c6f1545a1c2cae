package dev.convene.bench;

/** A part of the bench could not be measured: what did not happen. The run goes on with the other parts. */
final class BenchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BenchException(String message) {
        super(message);
    }

    BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
