package dev.chunkflow.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.chunkflow.common.InvalidInput;

class VisitCsvTest {

    @Test
    void splitsPlainAndQuotedFieldsAndCountsExtraOnes() {
        String[] f = new String[8];
        assertEquals(7, VisitCsv.split("a,b,c,d,e,f,g", 0, f));
        assertEquals("g", f[6]);
        assertEquals(5, VisitCsv.split("x,y,\"a,b\",\"say \"\"hi\"\"\",,f,g", 4, f));
        assertEquals("a,b", f[0]);
        assertEquals("say \"hi\"", f[1]);
        assertEquals("", f[2]);
        assertEquals(10, VisitCsv.split("1,2,3,4,5,6,7,8,9,10", 0, f));
        assertEquals(1, VisitCsv.split("", 0, f));
    }

    @Test
    void headerMustNameTheSevenColumnsInOrder() {
        VisitCsv.requireHeader("\uFEFFvisit_id,visit_date,ssn,provider_id,procedure_code,amount_cents,updated_at", "obj");
        VisitCsv.requireHeader("VISIT_ID, visit_date ,ssn,provider_id,procedure_code,amount_cents,updated_at", "obj");
        InvalidInput e = assertThrows(InvalidInput.class,
                () -> VisitCsv.requireHeader("visit_id,ssn,visit_date,provider_id,procedure_code,amount_cents,updated_at", "s3://b/k.csv"));
        assertEquals("source", e.field());
        assertTrue(e.getMessage().contains("s3://b/k.csv"), e.getMessage());
    }
}
