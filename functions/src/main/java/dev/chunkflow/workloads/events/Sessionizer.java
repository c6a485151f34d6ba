package dev.chunkflow.workloads.events;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.workload.ChunkOutput;
import dev.chunkflow.workload.ChunkProcessor;
import dev.chunkflow.workload.JsonLines;
import dev.chunkflow.workload.SourceRecord;
import dev.chunkflow.workload.RecordRejected;

/**
 * One chunk of events: every event of its users (the key), so sessions are complete. An event needs a
 * string {@code event_id}, {@code user_id} and {@code type} and an ISO-8601 {@code timestamp}; the first
 * occurrence of an {@code event_id} (source order) wins, later ones are duplicates. Per user, events in
 * (timestamp, event_id) order start a new session after a gap of more than {@link #SESSION_GAP}.
 */
final class Sessionizer implements ChunkProcessor {
    static final String SESSIONS = "sessions";
    static final String DAILY = "daily";
    static final Duration SESSION_GAP = Duration.ofMinutes(30);
    static final String MISSING_FIELD = "missing_field";
    static final String BAD_TIMESTAMP = "bad_timestamp";

    private record Event(String eventId, String userId, Instant at, String type) {
    }

    private final Map<String, Event> byId = new HashMap<>();
    private final Map<String, List<Event>> byUser = new HashMap<>();
    private long duplicates;

    @Override
    public void accept(SourceRecord record) {
        JsonNode e = record.json();
        String eventId = text(e, "event_id");
        String userId = text(e, "user_id");
        String type = text(e, "type");
        String timestamp = text(e, "timestamp");
        Instant at;
        try {
            at = Instant.parse(timestamp);
        } catch (DateTimeParseException ex) {
            throw new RecordRejected(BAD_TIMESTAMP, "timestamp is not an ISO-8601 instant");
        }
        Event event = new Event(eventId, userId, at, type);
        if (byId.putIfAbsent(eventId, event) != null) {
            duplicates++;
            return;
        }
        byUser.computeIfAbsent(userId, u -> new ArrayList<>()).add(event);
    }

    private static String text(JsonNode e, String field) {
        JsonNode v = e.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new RecordRejected(MISSING_FIELD, field + " is missing or not a non-empty string");
        }
        return v.asText();
    }

    private static final class Session {
        final String userId;
        final int number;
        final Instant start;
        Instant end;
        long events;
        final Map<String, Long> types = new TreeMap<>();

        Session(String userId, int number, Instant start) {
            this.userId = userId;
            this.number = number;
            this.start = start;
            this.end = start;
        }
    }

    private static final class Day {
        long events;
        long sessions;
    }

    @Override
    public ChunkOutput finish() {
        List<String> users = new ArrayList<>(byUser.keySet());
        users.sort(Comparator.naturalOrder());
        List<Session> sessions = new ArrayList<>();
        // (day, user) -> counts; TreeMap on "day user" orders the daily part by day, then user
        Map<String, Day> days = new TreeMap<>();
        long kept = 0;
        for (String user : users) {
            List<Event> events = byUser.get(user);
            events.sort(Comparator.comparing(Event::at).thenComparing(Event::eventId));
            Session current = null;
            for (Event ev : events) {
                if (current == null || Duration.between(current.end, ev.at()).compareTo(SESSION_GAP) > 0) {
                    current = new Session(user, current == null ? 1 : current.number + 1, ev.at());
                    sessions.add(current);
                    day(days, current.start, user).sessions++;
                }
                current.end = ev.at();
                current.events++;
                current.types.merge(ev.type(), 1L, Long::sum);
                day(days, ev.at(), user).events++;
                kept++;
            }
        }
        Map<String, ChunkOutput.PartWriter> parts = new LinkedHashMap<>();
        parts.put(SESSIONS, out -> writeSessions(sessions, out));
        parts.put(DAILY, out -> writeDaily(days, out));
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("sessions", (long) sessions.size());
        counters.put("users", (long) users.size());
        counters.put("daily_rows", (long) days.size());
        return new ChunkOutput(kept, duplicates, parts, counters);
    }

    private static Day day(Map<String, Day> days, Instant at, String user) {
        String day = at.atOffset(ZoneOffset.UTC).toLocalDate().toString();
        return days.computeIfAbsent(day + '\u0000' + user, k -> new Day());
    }

    /** {@code {user_id, session, start, end, duration_s, events, types}} per line, by user then start. */
    private static void writeSessions(List<Session> sessions, OutputStream out) throws IOException {
        try (JsonGenerator g = JsonLines.generator(out)) {
            for (Session s : sessions) {
                g.writeStartObject();
                g.writeStringField("user_id", s.userId);
                g.writeNumberField("session", s.number);
                g.writeStringField("start", s.start.toString());
                g.writeStringField("end", s.end.toString());
                g.writeNumberField("duration_s", Duration.between(s.start, s.end).getSeconds());
                g.writeNumberField("events", s.events);
                g.writeObjectFieldStart("types");
                for (Map.Entry<String, Long> t : s.types.entrySet()) {
                    g.writeNumberField(t.getKey(), t.getValue());
                }
                g.writeEndObject();
                g.writeEndObject();
                JsonLines.endLine(g);
            }
        }
    }

    /** {@code {date, user_id, events, sessions}} per line (sessions: those that started that day), by date then user. */
    private static void writeDaily(Map<String, Day> days, OutputStream out) throws IOException {
        try (JsonGenerator g = JsonLines.generator(out)) {
            for (Map.Entry<String, Day> e : days.entrySet()) {
                int sep = e.getKey().indexOf('\u0000');
                g.writeStartObject();
                g.writeStringField("date", e.getKey().substring(0, sep));
                g.writeStringField("user_id", e.getKey().substring(sep + 1));
                g.writeNumberField("events", e.getValue().events);
                g.writeNumberField("sessions", e.getValue().sessions);
                g.writeEndObject();
                JsonLines.endLine(g);
            }
        }
    }
}
