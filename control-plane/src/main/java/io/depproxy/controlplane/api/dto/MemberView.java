package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.depproxy.controlplane.domain.GroupMemberRepository;

/** A group member: the user's fields plus the access level ({@code id} is the user's id, as in GitLab). */
public record MemberView(
        @JsonProperty("id") long id,
        @JsonProperty("username") String username,
        @JsonProperty("name") String name,
        @JsonProperty("state") String state,
        @JsonProperty("access_level") int accessLevel,
        @JsonProperty("created_at") String createdAt) {

    public static MemberView of(GroupMemberRepository.Membership membership) {
        return new MemberView(membership.user().getId(), membership.user().getUsername(),
                membership.user().getName(), membership.user().getState(), membership.member().getAccessLevel(),
                Times.iso(membership.member().getCreatedAt()));
    }
}
