// The OWL API's OWL 2 DL profile check over the given ontology documents, merged.
// Prints one "VIOLATION ..." line per problem, then "violations: N"; exit code 0 either way.
// Run by tests/test_owl_dl.py::test_owl_api_dl_profile (pytest --run-owlapi), with Debian's
// libowlapi-java (OWL API 5) on the class path; compiled into a temporary folder.
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;

public class DlProfileCheck {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology merged = manager.createOntology(IRI.create("urn:missions-kg:dl-check"));
        for (String path : args) {
            OWLOntology part = manager.loadOntologyFromOntologyDocument(new File(path));
            manager.addAxioms(merged, part.axioms());
        }
        OWLProfileReport report = new OWL2DLProfile().checkOntology(merged);
        report.getViolations().forEach(v -> System.out.println("VIOLATION " + v));
        System.out.println("violations: " + report.getViolations().size());
    }
}
