package dev.convene.cli;

import dev.convene.conference.ConferenceException;
import dev.convene.conference.ConferenceLookupException;
import dev.convene.conference.ConferenceNotFoundException;
import dev.convene.conference.ConferenceState;
import dev.convene.conference.ConferenceStateException;
import dev.convene.conference.EventThreadException;
import dev.convene.conference.HomeLockedException;
import dev.convene.conference.HomeOwnerException;
import dev.convene.conference.InvalidInputException;
import dev.convene.conference.MemberException;
import dev.convene.conference.NotAllowedException;
import dev.convene.conference.PeerClosedException;
import dev.convene.conference.StoreException;
import dev.convene.overlay.OverlayException;
import java.util.Locale;
import java.util.stream.Collectors;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line on stderr (what happened, what to do next) and an exit code: 2 for
 * usage errors, 1 for the rest. Stack traces only go to the log, and only with {@code --verbose}.
 */
public final class CliErrors implements IParameterExceptionHandler, IExecutionExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(CliErrors.class);

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String message = ex.getCause() instanceof CliException c ? c.getMessage() : ex.getMessage();
        cmd.getErr().println("convene: " + oneLine(message) + "; see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
        cmd.getErr().flush();
        return ExitCodes.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        int code = ex instanceof CliException c ? c.exitCode() : ExitCodes.FAILED;
        cmd.getErr().println("convene: " + describe(ex));
        cmd.getErr().flush();
        return code;
    }

    /** The one-line description of an exception a command did not handle itself. */
    public static String describe(Exception ex) {
        if (ex instanceof ConferenceException c && !(c instanceof EventThreadException)) {
            log.debug("command failed", ex);
            return conference(c);
        }
        if (ex instanceof CliException || ex instanceof OverlayException || ex instanceof UncheckedIOException
                || ex instanceof IllegalArgumentException || ex instanceof IllegalStateException) {
            log.debug("command failed", ex);
            return oneLine(ex.getMessage());
        }
        if (ex instanceof InterruptedException) return "interrupted";
        log.error("unexpected failure", ex);
        return "unexpected " + ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + oneLine(ex.getMessage()))
                + "; run again with --verbose and report it";
    }

    /**
     * The CLI's wording of a conference peer's refusal: what happened and which command or option helps.
     * Branches on the exception's type and data only, never on its message.
     */
    public static String conference(ConferenceException e) {
        if (e instanceof ConferenceNotFoundException x) {
            return "no conference " + x.conference().shortId() + " here; run 'conferences' to list them";
        }
        if (e instanceof ConferenceLookupException x) {
            if (!x.ambiguous()) return "no conference matches '" + x.reference() + "'; run 'conferences' to list them";
            return "'" + x.reference() + "' matches " + x.candidates().size() + " conferences: "
                    + x.candidates().stream().map(v -> v.title() + " (" + v.id().shortId() + ")").collect(Collectors.joining(", "))
                    + "; use the id";
        }
        if (e instanceof ConferenceStateException x) {
            String state = x.state().name().toLowerCase(Locale.ROOT);
            if (x.required().equals(java.util.Set.of(ConferenceState.LIVE))) {
                return "conference " + x.conference().shortId() + " is " + state + ", not live"
                        + (x.state() == ConferenceState.SCHEDULED ? "; wait until it starts ('wait started')" : "");
            }
            return "conference " + x.conference().shortId() + " is already " + state + "; this works only while it is scheduled or live";
        }
        if (e instanceof NotAllowedException x) {
            return switch (x.rule()) {
                case ORGANISER_ONLY -> "only the organiser may do that; ask the organiser, or use 'leave' to go";
                case ORGANISER_OR_PARTICIPANT_ONLY -> "only the organiser and participants may invite; accept first";
                case NOT_INVITED -> "you are not invited to this conference";
                case NOT_PARTICIPANT -> "you are not a participant; accept the invitation first";
                case INVITATION_NOT_ARRIVED -> "your invitation has not arrived yet; wait for it ('wait invitation')";
                case NO_KEY -> "this peer does not hold the conference key yet; accept first, or wait for the invitation";
                case ORGANISER_CANNOT_DECLINE -> "the organiser cannot decline; use 'leave' or 'end'";
                case ORGANISER_CANNOT_REMOVE_ITSELF -> "the organiser cannot remove itself; use 'end'";
                case CANNOT_INVITE_ITSELF -> "you organise this conference; invite other peers, not yourself";
                case CANNOT_BAN_ITSELF -> "you cannot ban yourself";
                case ORGANISERS_ONLY -> "only the organiser or a co-organiser may do that; ask one of them, or use 'leave' to go";
                case KEY_ROTATION_PENDING -> "the conference key was rotated and this peer's new key has not arrived yet; try again in a moment";
                case ORGANISER_ROLE_OF_ITSELF -> "you are the organiser already; grant the role to another member";
                case AUTHOR_ONLY -> "only a message's author may edit or delete it";
                case MESSAGE_NOT_EDITABLE -> "that message cannot be edited or deleted: it is not your chat message shown here,"
                        + " it is deleted, it was edited 64 times, or (delete) it is older than your last 256 messages";
            };
        }
        if (e instanceof MemberException x) {
            String who = x.peer().shortId();
            return switch (x.problem()) {
                case UNKNOWN_PEER -> "unknown peer " + who + "; invite only peers listed by 'peers'";
                case ALREADY_MEMBER -> who + " is already invited";
                case NOT_MEMBER -> who + " is not a member of this conference";
                case REMOVED -> who + " was removed from this conference and cannot come back";
            };
        }
        if (e instanceof InvalidInputException x) {
            String hint = switch (x.field()) {
                case InvalidInputException.TEXT -> x.value().equals("empty") ? "; type some text" : "; split it";
                case InvalidInputException.REMOVALS -> "; create a new conference";
                case InvalidInputException.KEY_EPOCHS -> "; create a new conference";
                case InvalidInputException.ANSWERS -> "; your last answer stands";
                case InvalidInputException.EMOJI -> "";
                default -> "";
            };
            if (x.field().equals(InvalidInputException.EMOJI)) {
                return "not an emoji the conference accepts: " + oneLine(x.value()) + " (expected: " + oneLine(x.expected())
                        + "); give one emoji, e.g. \uD83D\uDC4D or :)";
            }
            if (x.field().equals(InvalidInputException.CONFERENCE)) return "cannot create the conference: " + oneLine(x.value());
            if (x.field().equals(InvalidInputException.SCHEDULE)) {
                return "cannot reschedule: " + oneLine(x.value()) + (x.expected().isEmpty() ? "" : " (expected: " + oneLine(x.expected()) + ")");
            }
            return oneLine(x.getMessage()) + hint;
        }
        if (e instanceof dev.convene.conference.MessageRefusedException x) {
            return "your message " + x.message().sequence() + " was refused (" + oneLine(x.getMessage().replaceFirst("^.*was refused: ", ""))
                    + "); it is not part of the history: post it again";
        }
        if (e instanceof dev.convene.conference.FileException x) {
            return switch (x.reason()) {
                case NO_HOME -> "this peer has no home directory to keep files in; start it with --home DIR";
                case NOT_FOUND -> "no such file offer here; 'files CONF' lists the offers";
                case NOT_SHAREABLE -> "not a readable regular file of at most 64 GiB; check the path and its permissions";
                case NO_SOURCE -> "no participant online holds the rest of the file (what was verified is kept); fetch it again when a holder is online";
                case CORRUPT -> "hash mismatch: the file fetched does not match its offer's sha256; nothing was kept; ask the sharer to share it again";
                case IO -> "reading or writing a file failed (" + oneLine(x.getCause() == null ? null : x.getCause().getMessage())
                        + "); check free disk space and permissions";
                case CLOSED -> "this peer stopped during the transfer; start it again and retry (verified chunks are kept)";
            };
        }
        if (e instanceof PeerClosedException) return "this peer has stopped; start it again";
        if (e instanceof HomeLockedException x) {
            return "the home " + x.home() + " is in use by " + x.holder().map(p -> "peer " + p.shortId()).orElse("another peer")
                    + (x.pid().isPresent() ? " (process " + x.pid().getAsLong() + ")" : "")
                    + "; stop that peer first, or pass another --home";
        }
        if (e instanceof HomeOwnerException x) {
            return "the home " + x.home() + " belongs to peer " + x.owner().shortId() + ", not to this identity ("
                    + x.opener().shortId() + "); use that identity, or pass another --home";
        }
        if (e instanceof StoreException x) {
            return "the store " + x.file() + " failed (" + oneLine(x.getCause() == null ? null : x.getCause().getMessage())
                    + "); check free disk space and the permissions of the home directory";
        }
        return oneLine(e.getMessage());
    }

    static String oneLine(String message) {
        return message == null ? "(no message)" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
