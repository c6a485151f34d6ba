package dev.chunkflow.local.bench.coldstart;

import java.util.List;
import java.util.Map;

/** The "What explains it" paragraph of the cold-start section, from the class-load logs and the launcher's split of a start. */
final class ColdStartExplanation {
    private ColdStartExplanation() {
    }

    static String of(List<Target> targets, Map<String, List<Sample>> samples, Map<String, ClassLoads> loads, double floorMs) {
        ClassLoads fl = loads.get(ColdStart.FLOOR);
        StringBuilder b = new StringBuilder("**What explains it.** ");
        double worstRatio = 0;
        String worst = null;
        for (Target t : targets) {
            double m = Sample.medianMs(samples.get(t.name()));
            if (!Double.isNaN(m) && m / floorMs > worstRatio) {
                worstRatio = m / floorMs;
                worst = t.name();
            }
        }
        if (fl != null) {
            b.append(String.format("The floor loads %,d classes (%,d of them from the JDK's CDS archive, which costs almost nothing). ",
                    fl.total(), fl.cds()));
        }
        long minApp = Long.MAX_VALUE;
        long maxApp = 0;
        for (Target t : targets) {
            ClassLoads c = loads.get(t.name());
            if (c != null) {
                minApp = Math.min(minApp, c.appJar());
                maxApp = Math.max(maxApp, c.appJar());
            }
        }
        if (maxApp > 0) {
            b.append(String.format("The handlers load %,d to %,d classes from the jar, each parsed, verified and linked on first use, "
                    + "and run their static initializers with only the C1 compiler (`TieredStopAtLevel=1`); most of them are the AWS "
                    + "SDK's (client builders, endpoint rule engine, signer, marshallers and model classes of each call) and Jackson's. ",
                    minApp, maxApp));
        }
        long metadataClasses = 0;
        double metadataMin = Double.MAX_VALUE;
        double metadataMax = 0;
        for (Target t : targets) {
            ClassLoads c = loads.get(t.name());
            if (c != null && c.serviceMetadataClasses() > 0) {
                metadataClasses = c.serviceMetadataClasses();
                metadataMin = Math.min(metadataMin, c.serviceMetadataMs());
                metadataMax = Math.max(metadataMax, c.serviceMetadataMs());
            }
        }
        if (metadataClasses > 0) {
            b.append(String.format("One SDK cost stands out in the class-load logs: the first client build loads the region metadata "
                    + "of all %d AWS services (`GeneratedServiceMetadataProvider`, one class each), %.0f to %.0f ms of the start here. ",
                    metadataClasses, metadataMin, metadataMax));
        }
        if (worst != null) {
            Sample typical = Sample.typical(samples.get(worst));
            if (typical != null) {
                b.append(String.format("For %s (%.1fx the floor) a typical start splits into %d ms spawn + JVM boot, %d ms init "
                        + "(handler class and SDK clients built) and %d ms first invoke (first requests: credentials, endpoint "
                        + "resolution, signing, HTTP connection, marshalling). ", worst, worstRatio,
                        typical.spawnToJvm() + typical.jvmToMain(), typical.init(), typical.invoke()));
            }
        }
        Sample floorTypical = Sample.typical(samples.get(ColdStart.FLOOR));
        if (floorTypical != null) {
            b.append(String.format("The floor itself spends %d ms of its start in its first invoke: that is the runtime's POJO "
                    + "serialization (aws-lambda-java-serialization's own shaded Jackson) reading the event, which chunkflow's "
                    + "handlers do not pay: all of them are stream handlers (StartJob and GetJob read the API Gateway event and "
                    + "write their response with chunkflow's Jackson, dev.chunkflow.api.HttpApi). ", floorTypical.invoke()));
        }
        b.append("The artifact's size matters far less than what is loaded from it: a class never touched costs only its entry "
                + "in the jar's central directory. SnapStart (restore instead of init, priming for the first requests) is the "
                + "lever for the 2.5x target on AWS; it cannot be measured on this JVM.");
        return b.toString();
    }
}
