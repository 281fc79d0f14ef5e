package io.depproxy.controlplane;

import static io.depproxy.controlplane.PolicyApiTest.policyUrl;
import static io.depproxy.controlplane.PolicyApiTest.putPolicy;
import static io.depproxy.controlplane.support.AdminApi.addMember;
import static io.depproxy.controlplane.support.AdminApi.as;
import static io.depproxy.controlplane.support.AdminApi.asAdmin;
import static io.depproxy.controlplane.support.AdminApi.createToken;
import static io.depproxy.controlplane.support.AdminApi.createUser;
import static io.depproxy.controlplane.support.AdminApi.memberWithToken;
import static io.depproxy.controlplane.support.TestApi.asRoot;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.unique;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * A policy set on a group holds below it: an owner of a subgroup who does not own the ancestor with a policy cannot
 * replace or remove the subgroup's own policy (403, naming that ancestor), and what pulls get stays as it was; an owner
 * of the ancestor and an administrator can; under ancestors without a policy a subgroup's owner writes as before.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class PolicyInheritanceTest {
    private static final String NO_LATEST = "{\"rules\": [{\"action\": \"deny\", \"image\": \"*\", \"tag\": \"latest\"}]}";
    private static final String ALLOW_ALL = "{\"rules\": [], \"signatures\": {\"mode\": \"off\"}}";

    private static String refusal(String ancestor, String group) {
        return "403 Forbidden - the policy of " + ancestor + " applies here; only an owner of " + ancestor
                + " may replace it for " + group;
    }

    private static void pullIsDeniedByTheRuleOf(String groupPath, String policyGroup) {
        asRoot().get(path(groupPath, unique("web"), "manifests", "latest")).then().statusCode(403)
                .body("errors[0].code", equalTo("DENIED"))
                .body("errors[0].message", endsWith("is denied by rule 1 (deny image \"*\" tag \"latest\") of the"
                        + " policy of group " + policyGroup));
    }

    @Test
    void anOwnerOfTheSubgroupOnlyCannotReplaceOrRemoveWhatAnAncestorsPolicyGoverns() {
        String acme = unique("acme");
        long acmeId = createGroup(acme, null);
        String teamName = unique("team");
        long teamId = createGroup(teamName, acmeId);
        String team = acme + "/" + teamName;
        putPolicy(acmeId, NO_LATEST);
        String teamOwner = memberWithToken(teamId, GroupMember.OWNER);

        as(teamOwner).contentType("application/json").body(ALLOW_ALL).put(policyUrl(teamId)).then().statusCode(403)
                .body("message", equalTo(refusal(acme, team)));
        as(teamOwner).delete(policyUrl(teamId)).then().statusCode(403).body("message", equalTo(refusal(acme, team)));
        asAdmin().get(policyUrl(teamId)).then().statusCode(200).body("inherited_from", equalTo(acme))
                .body("rules", hasSize(1));
        pullIsDeniedByTheRuleOf(team, acme);

        // a stricter own policy the ancestor's owner gave the subgroup cannot be removed or loosened by it either
        putPolicy(teamId, NO_LATEST);
        as(teamOwner).delete(policyUrl(teamId)).then().statusCode(403).body("message", equalTo(refusal(acme, team)));
        as(teamOwner).contentType("application/json").body(ALLOW_ALL).put(policyUrl(teamId)).then().statusCode(403);
        asAdmin().get(policyUrl(teamId)).then().statusCode(200).body("inherited_from", nullValue())
                .body("rules", hasSize(1));
        pullIsDeniedByTheRuleOf(team, team);

        // an ancestor's maintainer is not its owner
        long user = createUser(unique("maintainer"));
        addMember(teamId, user, GroupMember.OWNER);
        addMember(acmeId, user, GroupMember.MAINTAINER);
        as(createToken(user, "api")).delete(policyUrl(teamId)).then().statusCode(403)
                .body("message", equalTo(refusal(acme, team)));
        pullIsDeniedByTheRuleOf(team, team);
    }

    @Test
    void theOutermostAncestorWithAPolicyDecidesForEveryGroupBelowIt() {
        String acme = unique("acme");
        long acmeId = createGroup(acme, null);
        String teamName = unique("team");
        long teamId = createGroup(teamName, acmeId);
        String appName = unique("app");
        long appId = createGroup(appName, teamId);
        String app = acme + "/" + teamName + "/" + appName;
        putPolicy(acmeId, NO_LATEST);
        putPolicy(teamId, NO_LATEST);

        // the team's owner owns the app but not acme, whose policy team's own was set under
        String teamOwner = memberWithToken(teamId, GroupMember.OWNER);
        as(teamOwner).contentType("application/json").body(ALLOW_ALL).put(policyUrl(appId)).then().statusCode(403)
                .body("message", equalTo(refusal(acme, app)));
        pullIsDeniedByTheRuleOf(app, acme + "/" + teamName);

        String acmeOwner = memberWithToken(acmeId, GroupMember.OWNER);
        as(acmeOwner).contentType("application/json").body(ALLOW_ALL).put(policyUrl(appId)).then().statusCode(200)
                .body("rules", hasSize(0)).body("inherited_from", nullValue());
        as(acmeOwner).delete(policyUrl(appId)).then().statusCode(200).body("rules", hasSize(1));
    }

    @Test
    void anOwnerOfBothTheSubgroupAndTheAncestorMayWriteAndSoMayAnAdministrator() {
        String acme = unique("acme");
        long acmeId = createGroup(acme, null);
        long teamId = createGroup(unique("team"), acmeId);
        putPolicy(acmeId, NO_LATEST);

        long user = createUser(unique("both"));
        addMember(acmeId, user, GroupMember.OWNER);
        addMember(teamId, user, GroupMember.OWNER);
        String owner = createToken(user, "api");
        as(owner).contentType("application/json").body(ALLOW_ALL).put(policyUrl(teamId)).then().statusCode(200)
                .body("rules", hasSize(0)).body("inherited_from", nullValue());
        as(owner).delete(policyUrl(teamId)).then().statusCode(200).body("inherited_from", equalTo(acme));

        asAdmin().contentType("application/json").body(ALLOW_ALL).put(policyUrl(teamId)).then().statusCode(200)
                .body("rules", hasSize(0));
        asAdmin().delete(policyUrl(teamId)).then().statusCode(200).body("inherited_from", equalTo(acme));
    }

    @Test
    void underAncestorsWithoutAPolicyASubgroupsOwnerWritesAsBefore() {
        String acme = unique("acme");
        long acmeId = createGroup(acme, null);
        String teamName = unique("team");
        long teamId = createGroup(teamName, acmeId);
        String teamOwner = memberWithToken(teamId, GroupMember.OWNER);

        as(teamOwner).contentType("application/json").body(NO_LATEST).put(policyUrl(teamId)).then().statusCode(200)
                .body("rules", hasSize(1)).body("inherited_from", nullValue());
        pullIsDeniedByTheRuleOf(acme + "/" + teamName, acme + "/" + teamName);
        as(teamOwner).contentType("application/json").body(ALLOW_ALL).put(policyUrl(teamId)).then().statusCode(200)
                .body("rules", hasSize(0));
        as(teamOwner).delete(policyUrl(teamId)).then().statusCode(200).body("rules", hasSize(0))
                .body("inherited_from", nullValue());
    }
}
