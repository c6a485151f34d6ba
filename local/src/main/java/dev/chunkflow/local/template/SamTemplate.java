package dev.chunkflow.local.template;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The parts of a SAM {@code template.yaml} that chunkflow runs locally and checks: functions (handler,
 * environment with {@code Globals} merged, memory, timeout), state machines (definition file and
 * {@code DefinitionSubstitutions}), buckets, tables and parameters. Intrinsic functions stay symbolic
 * ({@link TemplateValue}). The local runner uses {@link #functionForSubstitution(String)} to turn a
 * {@code ${GetChunksFunctionArn}} of the ASL into the function, hence its handler class.
 *
 * <p>Globals follow SAM's rules: scalars are replaced by the resource's value, maps are merged key by
 * key, lists are concatenated (globals first), and an intrinsic function counts as a scalar.
 */
public final class SamTemplate {
    public static final String FUNCTION = "AWS::Serverless::Function";
    public static final String STATE_MACHINE = "AWS::Serverless::StateMachine";
    public static final String BUCKET = "AWS::S3::Bucket";
    public static final String TABLE = "AWS::DynamoDB::Table";
    public static final String SIMPLE_TABLE = "AWS::Serverless::SimpleTable";
    public static final String ROLE = "AWS::IAM::Role";

    private final Path baseDir;
    private final Map<String, Object> raw;
    private final Map<String, Map<String, Object>> resources;
    private final Map<String, ParameterDef> parameters;
    private final Map<String, FunctionDef> functions;
    private final Map<String, StateMachineDef> stateMachines;
    private final Map<String, BucketDef> buckets;
    private final Map<String, TableDef> tables;
    private final Map<String, RoleDef> roles;

    private SamTemplate(Path baseDir, Map<String, Object> raw) {
        this.baseDir = baseDir;
        this.raw = raw;
        this.resources = readResources(raw);
        this.parameters = readParameters(raw);
        Map<String, Object> globalsFunction = map(map(raw.get("Globals"), "Globals").get("Function"), "Globals.Function");
        Map<String, FunctionDef> fns = new LinkedHashMap<>();
        Map<String, StateMachineDef> sms = new LinkedHashMap<>();
        Map<String, BucketDef> bks = new LinkedHashMap<>();
        Map<String, TableDef> tbs = new LinkedHashMap<>();
        Map<String, RoleDef> rls = new LinkedHashMap<>();
        resources.forEach((id, resource) -> {
            String type = String.valueOf(resource.get("Type"));
            Map<String, Object> props = map(resource.get("Properties"), id + ".Properties");
            switch (type) {
                case FUNCTION -> fns.put(id, readFunction(id, asMap(mergeGlobal(globalsFunction, props))));
                case STATE_MACHINE -> sms.put(id, readStateMachine(id, props));
                case BUCKET -> bks.put(id, new BucketDef(id, optionalString(props.get("BucketName"))));
                case TABLE, SIMPLE_TABLE -> tbs.put(id, readTable(id, type, props));
                case ROLE -> rls.put(id, readRole(id, props));
                default -> {
                }
            }
        });
        this.functions = Collections.unmodifiableMap(fns);
        this.stateMachines = Collections.unmodifiableMap(sms);
        this.buckets = Collections.unmodifiableMap(bks);
        this.tables = Collections.unmodifiableMap(tbs);
        this.roles = Collections.unmodifiableMap(rls);
    }

    /** Reads and parses a template file; relative paths in it resolve against its folder. */
    public static SamTemplate load(Path templateFile) {
        try {
            Path file = templateFile.toAbsolutePath().normalize();
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.getParent());
        } catch (IOException e) {
            throw new TemplateException("cannot read " + templateFile + ": " + e.getMessage(), e);
        }
    }

    /** Parses template text; {@code baseDir} is where {@code CodeUri} and {@code DefinitionUri} resolve. */
    public static SamTemplate parse(String yaml, Path baseDir) {
        Object root = CfnYaml.load(yaml);
        if (!(root instanceof Map<?, ?>)) {
            throw new TemplateException("template must be a YAML mapping");
        }
        return new SamTemplate(baseDir, asMap(root));
    }

    public Path baseDir() {
        return baseDir;
    }

    /** The whole template as parsed (long-form intrinsics). */
    public Map<String, Object> raw() {
        return raw;
    }

    public Map<String, Map<String, Object>> resources() {
        return resources;
    }

    public Optional<String> resourceType(String logicalId) {
        return Optional.ofNullable(resources.get(logicalId)).map(r -> String.valueOf(r.get("Type")));
    }

    /** {@code Properties} of a resource as parsed ({@code Globals} not merged); empty map when absent. */
    public Map<String, Object> properties(String logicalId) {
        Map<String, Object> resource = resources.get(logicalId);
        if (resource == null) {
            throw new TemplateException("no resource " + logicalId + " in the template");
        }
        return map(resource.get("Properties"), logicalId + ".Properties");
    }

    public Map<String, Object> globalsFunction() {
        return map(map(raw.get("Globals"), "Globals").get("Function"), "Globals.Function");
    }

    public Map<String, Object> outputs() {
        return map(raw.get("Outputs"), "Outputs");
    }

    public Map<String, ParameterDef> parameters() {
        return parameters;
    }

    public Map<String, FunctionDef> functions() {
        return functions;
    }

    public Optional<FunctionDef> function(String logicalId) {
        return Optional.ofNullable(functions.get(logicalId));
    }

    public Map<String, StateMachineDef> stateMachines() {
        return stateMachines;
    }

    public Optional<StateMachineDef> stateMachine(String logicalId) {
        return Optional.ofNullable(stateMachines.get(logicalId));
    }

    public Map<String, BucketDef> buckets() {
        return buckets;
    }

    public Map<String, TableDef> tables() {
        return tables;
    }

    /** The {@code AWS::IAM::Role} resources, by logical id. */
    public Map<String, RoleDef> roles() {
        return roles;
    }

    /**
     * The logical id of the function that a {@code DefinitionSubstitutions} entry names, in any state
     * machine of the template; empty when no state machine has that entry or it is not a function
     * (e.g. {@code DataBucket}). Two state machines mapping the same name to different functions is an error.
     */
    public Optional<String> functionForSubstitution(String name) {
        Set<String> found = new LinkedHashSet<>();
        for (StateMachineDef sm : stateMachines.values()) {
            functionForSubstitution(sm.logicalId(), name).ifPresent(found::add);
        }
        if (found.size() > 1) {
            throw new TemplateException("substitution " + name + " names different functions in different state machines: " + found);
        }
        return found.stream().findFirst();
    }

    /** As {@link #functionForSubstitution(String)}, for one state machine. */
    public Optional<String> functionForSubstitution(String stateMachineId, String name) {
        StateMachineDef sm = stateMachines.get(stateMachineId);
        if (sm == null) {
            throw new TemplateException("no state machine " + stateMachineId + " in the template");
        }
        return sm.referencedLogicalId(name).filter(functions::containsKey);
    }

    /** The function a substitution names, with its handler class. */
    public Optional<FunctionDef> functionDefForSubstitution(String name) {
        return functionForSubstitution(name).map(functions::get);
    }

    // ------------------------------------------------------------------ reading

    private static Map<String, Map<String, Object>> readResources(Map<String, Object> raw) {
        Map<String, Object> res = map(raw.get("Resources"), "Resources");
        if (res.isEmpty()) {
            throw new TemplateException("template has no Resources");
        }
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        res.forEach((id, r) -> {
            Map<String, Object> resource = map(r, "Resources." + id);
            if (!(resource.get("Type") instanceof String)) {
                throw new TemplateException(id + ": resource has no Type");
            }
            out.put(id, resource);
        });
        return Collections.unmodifiableMap(out);
    }

    private static Map<String, ParameterDef> readParameters(Map<String, Object> raw) {
        Map<String, ParameterDef> out = new LinkedHashMap<>();
        map(raw.get("Parameters"), "Parameters").forEach((name, p) -> {
            Map<String, Object> param = map(p, "Parameters." + name);
            out.put(name, new ParameterDef(name, String.valueOf(param.getOrDefault("Type", "String")),
                    optionalString(param.get("Default"))));
        });
        return Collections.unmodifiableMap(out);
    }

    private FunctionDef readFunction(String id, Map<String, Object> props) {
        String handler = requiredString(props, "Handler", id);
        int sep = handler.indexOf("::");
        String cls = sep < 0 ? handler : handler.substring(0, sep);
        String method = sep < 0 ? "handleRequest" : handler.substring(sep + 2);
        if (!cls.matches("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*") || !method.matches("[A-Za-z_$][\\w$]*")) {
            throw new TemplateException(id + ": Handler must be a.b.Class or a.b.Class::method, got '" + handler + "'");
        }
        Map<String, TemplateValue> env = new LinkedHashMap<>();
        Map<String, Object> environment = map(props.get("Environment"), id + ".Environment");
        map(environment.get("Variables"), id + ".Environment.Variables")
                .forEach((k, v) -> env.put(k, TemplateValue.of(v, id + ".Environment.Variables." + k)));
        List<String> architectures = new ArrayList<>();
        Object arch = props.get("Architectures");
        if (arch instanceof List<?> list) {
            list.forEach(a -> architectures.add(String.valueOf(a)));
        } else if (arch != null) {
            throw new TemplateException(id + ": Architectures must be a list");
        }
        return new FunctionDef(id, handler, cls, method,
                requiredString(props, "Runtime", id),
                architectures,
                optionalString(props.get("CodeUri")).orElse("."),
                intProperty(props, "MemorySize", 128, id),
                intProperty(props, "Timeout", 3, id),
                optionalString(props.get("AutoPublishAlias")),
                optionalString(map(props.get("SnapStart"), id + ".SnapStart").get("ApplyOn")),
                env, props);
    }

    private StateMachineDef readStateMachine(String id, Map<String, Object> props) {
        String uri = requiredString(props, "DefinitionUri", id);
        Map<String, TemplateValue> subs = new LinkedHashMap<>();
        map(props.get("DefinitionSubstitutions"), id + ".DefinitionSubstitutions")
                .forEach((k, v) -> subs.put(k, TemplateValue.of(v, id + ".DefinitionSubstitutions." + k)));
        Optional<String> name = props.get("Name") instanceof String s ? Optional.of(s) : Optional.empty();
        return new StateMachineDef(id, name, optionalString(props.get("Type")).orElse("STANDARD"), uri,
                baseDir.resolve(uri).normalize(), subs, props);
    }

    private static RoleDef readRole(String id, Map<String, Object> props) {
        List<RoleDef.InlinePolicy> policies = new ArrayList<>();
        Object raw = props.get("Policies");
        if (raw != null && !(raw instanceof List<?>)) {
            throw new TemplateException(id + ".Policies must be a list");
        }
        if (raw instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                Map<String, Object> p = map(list.get(i), id + ".Policies[" + i + "]");
                String name = optionalString(p.get("PolicyName")).orElse("policy" + i);
                if (p.get("PolicyDocument") == null) {
                    throw new TemplateException(id + ".Policies[" + i + "] (" + name + ") has no PolicyDocument");
                }
                policies.add(new RoleDef.InlinePolicy(name, p.get("PolicyDocument")));
            }
        }
        List<Object> managed = new ArrayList<>();
        Object arns = props.get("ManagedPolicyArns");
        if (arns instanceof List<?> list) {
            managed.addAll(list);
        } else if (arns != null) {
            throw new TemplateException(id + ".ManagedPolicyArns must be a list");
        }
        Optional<String> name = props.get("RoleName") instanceof String s ? Optional.of(s) : Optional.empty();
        return new RoleDef(id, name, policies, managed, props);
    }

    private static TableDef readTable(String id, String type, Map<String, Object> props) {
        Optional<String> name = props.get("TableName") instanceof String s ? Optional.of(s) : Optional.empty();
        if (type.equals(SIMPLE_TABLE)) {
            Map<String, Object> pk = map(props.get("PrimaryKey"), id + ".PrimaryKey");
            return new TableDef(id, name, optionalString(pk.get("Name")).orElse("id"), Optional.empty());
        }
        String hash = null;
        String range = null;
        Object keySchema = props.get("KeySchema");
        if (keySchema instanceof List<?> keys) {
            for (Object k : keys) {
                Map<String, Object> key = map(k, id + ".KeySchema[]");
                if ("HASH".equals(key.get("KeyType"))) {
                    hash = String.valueOf(key.get("AttributeName"));
                } else if ("RANGE".equals(key.get("KeyType"))) {
                    range = String.valueOf(key.get("AttributeName"));
                }
            }
        }
        if (hash == null) {
            throw new TemplateException(id + ": KeySchema has no HASH key");
        }
        return new TableDef(id, name, hash, Optional.ofNullable(range));
    }

    // ------------------------------------------------------------------ Globals merge (SAM rules)

    static Object mergeGlobal(Object global, Object local) {
        if (global == null) {
            return local;
        }
        if (local == null) {
            return global;
        }
        if (isIntrinsic(global) || isIntrinsic(local)) {
            return local;
        }
        if (global instanceof Map<?, ?> g && local instanceof Map<?, ?> l) {
            Map<String, Object> merged = new LinkedHashMap<>();
            g.forEach((k, v) -> merged.put(String.valueOf(k), v));
            l.forEach((k, v) -> merged.put(String.valueOf(k), mergeGlobal(g.get(k), v)));
            return merged;
        }
        if (global instanceof List<?> g && local instanceof List<?> l) {
            List<Object> merged = new ArrayList<>(g);
            merged.addAll(l);
            return merged;
        }
        return local;
    }

    static boolean isIntrinsic(Object value) {
        if (value instanceof Map<?, ?> m && m.size() == 1) {
            String key = String.valueOf(m.keySet().iterator().next());
            return key.equals("Ref") || key.startsWith("Fn::");
        }
        return false;
    }

    // ------------------------------------------------------------------ small helpers

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    private static Map<String, Object> map(Object o, String where) {
        if (o == null) {
            return Map.of();
        }
        if (!(o instanceof Map<?, ?> m)) {
            throw new TemplateException(where + " must be a mapping, got " + o);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private static Optional<String> optionalString(Object o) {
        if (o == null) {
            return Optional.empty();
        }
        if (o instanceof String || o instanceof Number || o instanceof Boolean) {
            return Optional.of(String.valueOf(o));
        }
        return Optional.empty();
    }

    private static String requiredString(Map<String, Object> props, String key, String id) {
        Object v = props.get(key);
        if (!(v instanceof String s) || s.isBlank()) {
            throw new TemplateException(id + ": " + key + " is required (a string), got " + v);
        }
        return s;
    }

    private static int intProperty(Map<String, Object> props, String key, int defaultValue, String id) {
        Object v = props.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Integer i) {
            return i;
        }
        throw new TemplateException(id + ": " + key + " must be an integer literal, got " + v);
    }
}
