package io.depproxy.controlplane.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.CreationTimestamp;

/** A user's membership of a group, with a GitLab access level (guest 10 … owner 50); inherited by subgroups. */
@Entity
@Table(name = "group_members")
public class GroupMember {
    public static final int GUEST = 10;
    public static final int REPORTER = 20;
    public static final int DEVELOPER = 30;
    public static final int MAINTAINER = 40;
    public static final int OWNER = 50;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "group_id", nullable = false, updatable = false)
    private Long groupId;
    @Column(name = "user_id", nullable = false, updatable = false)
    private Long userId;
    @Column(name = "access_level", nullable = false)
    private int accessLevel;
    @CreationTimestamp
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    public static GroupMember create(long groupId, long userId, int accessLevel) {
        GroupMember member = new GroupMember();
        member.groupId = groupId;
        member.userId = userId;
        member.accessLevel = accessLevel;
        return member;
    }

    public Long getId() {
        return id;
    }

    public Long getGroupId() {
        return groupId;
    }

    public Long getUserId() {
        return userId;
    }

    public int getAccessLevel() {
        return accessLevel;
    }

    public void setAccessLevel(int accessLevel) {
        this.accessLevel = accessLevel;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
