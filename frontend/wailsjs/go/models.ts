export namespace api {
	
	export class Assignment {
	    nc_id: string;
	    assignee: string;
	    assignee_name: string;
	    due?: string;
	    assigned_by: string;
	    assigned_by_name: string;
	    // Go type: time
	    assigned_at: any;
	    revision: number;
	
	    static createFrom(source: any = {}) {
	        return new Assignment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.nc_id = source["nc_id"];
	        this.assignee = source["assignee"];
	        this.assignee_name = source["assignee_name"];
	        this.due = source["due"];
	        this.assigned_by = source["assigned_by"];
	        this.assigned_by_name = source["assigned_by_name"];
	        this.assigned_at = this.convertValues(source["assigned_at"], null);
	        this.revision = source["revision"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Audit {
	    id: string;
	    date: string;
	    service_type: string;
	    type: string;
	    status: string;
	    auditor: string;
	
	    static createFrom(source: any = {}) {
	        return new Audit(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.date = source["date"];
	        this.service_type = source["service_type"];
	        this.type = source["type"];
	        this.status = source["status"];
	        this.auditor = source["auditor"];
	    }
	}
	export class CA {
	    text: string;
	    // Go type: time
	    submitted_at: any;
	    analyst_comment?: string;
	    // Go type: time
	    decided_at: any;
	
	    static createFrom(source: any = {}) {
	        return new CA(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.text = source["text"];
	        this.submitted_at = this.convertValues(source["submitted_at"], null);
	        this.analyst_comment = source["analyst_comment"];
	        this.decided_at = this.convertValues(source["decided_at"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CADraft {
	    nc_id: string;
	    text: string;
	    revision: number;
	    updated_by: string;
	    updated_by_name?: string;
	    // Go type: time
	    updated_at: any;
	
	    static createFrom(source: any = {}) {
	        return new CADraft(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.nc_id = source["nc_id"];
	        this.text = source["text"];
	        this.revision = source["revision"];
	        this.updated_by = source["updated_by"];
	        this.updated_by_name = source["updated_by_name"];
	        this.updated_at = this.convertValues(source["updated_at"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CAVersion {
	    text: string;
	    submitted_by: string;
	    written_by?: string;
	    written_by_name?: string;
	    // Go type: time
	    submitted_at: any;
	    decision?: string;
	    comment?: string;
	    // Go type: time
	    decided_at: any;
	
	    static createFrom(source: any = {}) {
	        return new CAVersion(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.text = source["text"];
	        this.submitted_by = source["submitted_by"];
	        this.written_by = source["written_by"];
	        this.written_by_name = source["written_by_name"];
	        this.submitted_at = this.convertValues(source["submitted_at"], null);
	        this.decision = source["decision"];
	        this.comment = source["comment"];
	        this.decided_at = this.convertValues(source["decided_at"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class FileRef {
	    sha256: string;
	    name: string;
	    size: number;
	    media_type: string;
	
	    static createFrom(source: any = {}) {
	        return new FileRef(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.sha256 = source["sha256"];
	        this.name = source["name"];
	        this.size = source["size"];
	        this.media_type = source["media_type"];
	    }
	}
	export class Certificate {
	    id: string;
	    number: string;
	    description: string;
	    year: number;
	    valid_until: string;
	    file?: FileRef;
	
	    static createFrom(source: any = {}) {
	        return new Certificate(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.number = source["number"];
	        this.description = source["description"];
	        this.year = source["year"];
	        this.valid_until = source["valid_until"];
	        this.file = this.convertValues(source["file"], FileRef);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Certification {
	    id: string;
	    status: string;
	    standard: string;
	    scope: string[];
	    cycle_start: string;
	    cycle_end: string;
	    last_audit: string;
	    next_audit_due: string;
	    certificate_no: string;
	
	    static createFrom(source: any = {}) {
	        return new Certification(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.status = source["status"];
	        this.standard = source["standard"];
	        this.scope = source["scope"];
	        this.cycle_start = source["cycle_start"];
	        this.cycle_end = source["cycle_end"];
	        this.last_audit = source["last_audit"];
	        this.next_audit_due = source["next_audit_due"];
	        this.certificate_no = source["certificate_no"];
	    }
	}
	export class ChangeProposal {
	    target: string;
	    action: string;
	    target_id?: string;
	    fields?: {[key: string]: string};
	    note?: string;
	
	    static createFrom(source: any = {}) {
	        return new ChangeProposal(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.target = source["target"];
	        this.action = source["action"];
	        this.target_id = source["target_id"];
	        this.fields = source["fields"];
	        this.note = source["note"];
	    }
	}
	export class Contact {
	    id: string;
	    name: string;
	    role: string;
	    company: string;
	    email: string;
	    phone: string;
	    analyst?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Contact(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.role = source["role"];
	        this.company = source["company"];
	        this.email = source["email"];
	        this.phone = source["phone"];
	        this.analyst = source["analyst"];
	    }
	}
	export class Criterion {
	    id: string;
	    number: string;
	    section: string;
	    text: string;
	    type: string;
	    year: number;
	
	    static createFrom(source: any = {}) {
	        return new Criterion(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.number = source["number"];
	        this.section = source["section"];
	        this.text = source["text"];
	        this.type = source["type"];
	        this.year = source["year"];
	    }
	}
	export class Document {
	    id: string;
	    type: string;
	    date: string;
	    file: FileRef;
	
	    static createFrom(source: any = {}) {
	        return new Document(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.type = source["type"];
	        this.date = source["date"];
	        this.file = this.convertValues(source["file"], FileRef);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Evidence {
	    id: string;
	    nc_id: string;
	    type: string;
	    date: string;
	    subject: string;
	    file: FileRef;
	    // Go type: time
	    added_at: any;
	    added_by?: string;
	    added_by_name?: string;
	    submitted?: boolean;
	    decision?: string;
	
	    static createFrom(source: any = {}) {
	        return new Evidence(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.nc_id = source["nc_id"];
	        this.type = source["type"];
	        this.date = source["date"];
	        this.subject = source["subject"];
	        this.file = this.convertValues(source["file"], FileRef);
	        this.added_at = this.convertValues(source["added_at"], null);
	        this.added_by = source["added_by"];
	        this.added_by_name = source["added_by_name"];
	        this.submitted = source["submitted"];
	        this.decision = source["decision"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class EvidenceVersion {
	    files: string[];
	    submitted_by: string;
	    // Go type: time
	    submitted_at: any;
	    decision?: string;
	    comment?: string;
	    // Go type: time
	    decided_at: any;
	
	    static createFrom(source: any = {}) {
	        return new EvidenceVersion(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.files = source["files"];
	        this.submitted_by = source["submitted_by"];
	        this.submitted_at = this.convertValues(source["submitted_at"], null);
	        this.decision = source["decision"];
	        this.comment = source["comment"];
	        this.decided_at = this.convertValues(source["decided_at"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Member {
	    username: string;
	    name: string;
	    org_role: string;
	    disabled: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Member(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.username = source["username"];
	        this.name = source["name"];
	        this.org_role = source["org_role"];
	        this.disabled = source["disabled"];
	    }
	}
	export class Message {
	    id: string;
	    nc_id: string;
	    author: string;
	    author_role: string;
	    body: string;
	    // Go type: time
	    sent_at: any;
	
	    static createFrom(source: any = {}) {
	        return new Message(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.nc_id = source["nc_id"];
	        this.author = source["author"];
	        this.author_role = source["author_role"];
	        this.body = source["body"];
	        this.sent_at = this.convertValues(source["sent_at"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class NC {
	    id: string;
	    audit_id: string;
	    criterion_number: string;
	    criterion_text: string;
	    criterion_type: string;
	    finding: string;
	    score?: number;
	    received_date: string;
	    due_date?: string;
	    evidence_due_date?: string;
	    stage: string;
	    ca_status: string;
	    evidence_status: string;
	    ca?: CA;
	    ca_history?: CAVersion[];
	    evidence_history?: EvidenceVersion[];
	    revision: number;
	
	    static createFrom(source: any = {}) {
	        return new NC(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.audit_id = source["audit_id"];
	        this.criterion_number = source["criterion_number"];
	        this.criterion_text = source["criterion_text"];
	        this.criterion_type = source["criterion_type"];
	        this.finding = source["finding"];
	        this.score = source["score"];
	        this.received_date = source["received_date"];
	        this.due_date = source["due_date"];
	        this.evidence_due_date = source["evidence_due_date"];
	        this.stage = source["stage"];
	        this.ca_status = source["ca_status"];
	        this.evidence_status = source["evidence_status"];
	        this.ca = this.convertValues(source["ca"], CA);
	        this.ca_history = this.convertValues(source["ca_history"], CAVersion);
	        this.evidence_history = this.convertValues(source["evidence_history"], EvidenceVersion);
	        this.revision = source["revision"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Organisation {
	    id: string;
	    name: string;
	    legal_name: string;
	    type: string;
	    address: string;
	    city: string;
	    postal_code: string;
	    country: string;
	    email: string;
	    phone: string;
	    website: string;
	    products: string[];
	
	    static createFrom(source: any = {}) {
	        return new Organisation(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.legal_name = source["legal_name"];
	        this.type = source["type"];
	        this.address = source["address"];
	        this.city = source["city"];
	        this.postal_code = source["postal_code"];
	        this.country = source["country"];
	        this.email = source["email"];
	        this.phone = source["phone"];
	        this.website = source["website"];
	        this.products = source["products"];
	    }
	}

}

export namespace app {
	
	export class AuditRow {
	    audit: api.Audit;
	    ncs: number;
	    open_ncs: number;
	
	    static createFrom(source: any = {}) {
	        return new AuditRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.audit = this.convertValues(source["audit"], api.Audit);
	        this.ncs = source["ncs"];
	        this.open_ncs = source["open_ncs"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CertificateRow {
	    certificate: api.Certificate;
	    cached: boolean;
	
	    static createFrom(source: any = {}) {
	        return new CertificateRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.certificate = this.convertValues(source["certificate"], api.Certificate);
	        this.cached = source["cached"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CrashPrefs {
	    consent: string;
	    pending: number;
	
	    static createFrom(source: any = {}) {
	        return new CrashPrefs(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.consent = source["consent"];
	        this.pending = source["pending"];
	    }
	}
	export class MessageRow {
	    message: api.Message;
	    unread: boolean;
	
	    static createFrom(source: any = {}) {
	        return new MessageRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.message = this.convertValues(source["message"], api.Message);
	        this.unread = source["unread"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class NCRow {
	    nc: api.NC;
	    audit_date: string;
	    service_type: string;
	    due: string;
	    days_left?: number;
	    action: string;
	    unread: number;
	    updates: number;
	    ready: boolean;
	    queued: boolean;
	    notice: string;
	
	    static createFrom(source: any = {}) {
	        return new NCRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.nc = this.convertValues(source["nc"], api.NC);
	        this.audit_date = source["audit_date"];
	        this.service_type = source["service_type"];
	        this.due = source["due"];
	        this.days_left = source["days_left"];
	        this.action = source["action"];
	        this.unread = source["unread"];
	        this.updates = source["updates"];
	        this.ready = source["ready"];
	        this.queued = source["queued"];
	        this.notice = source["notice"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Dashboard {
	    organisation?: api.Organisation;
	    certification?: api.Certification;
	    certificate?: api.Certificate;
	    standing?: cycle.Standing;
	    actions: NCRow[];
	    actions_total: number;
	    ca_count: number;
	    evidence_count: number;
	    sent_count: number;
	    overdue: number;
	    unread: number;
	    updates: number;
	    ready: number;
	    messages: MessageRow[];
	    today: string;
	
	    static createFrom(source: any = {}) {
	        return new Dashboard(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.organisation = this.convertValues(source["organisation"], api.Organisation);
	        this.certification = this.convertValues(source["certification"], api.Certification);
	        this.certificate = this.convertValues(source["certificate"], api.Certificate);
	        this.standing = this.convertValues(source["standing"], cycle.Standing);
	        this.actions = this.convertValues(source["actions"], NCRow);
	        this.actions_total = source["actions_total"];
	        this.ca_count = source["ca_count"];
	        this.evidence_count = source["evidence_count"];
	        this.sent_count = source["sent_count"];
	        this.overdue = source["overdue"];
	        this.unread = source["unread"];
	        this.updates = source["updates"];
	        this.ready = source["ready"];
	        this.messages = this.convertValues(source["messages"], MessageRow);
	        this.today = source["today"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DocumentRow {
	    document: api.Document;
	    cached: boolean;
	
	    static createFrom(source: any = {}) {
	        return new DocumentRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.document = this.convertValues(source["document"], api.Document);
	        this.cached = source["cached"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class EvidenceRow {
	    evidence: api.Evidence;
	    cached: boolean;
	    local: boolean;
	    state: string;
	    code: string;
	    original_size: number;
	    image: boolean;
	
	    static createFrom(source: any = {}) {
	        return new EvidenceRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.evidence = this.convertValues(source["evidence"], api.Evidence);
	        this.cached = source["cached"];
	        this.local = source["local"];
	        this.state = source["state"];
	        this.code = source["code"];
	        this.original_size = source["original_size"];
	        this.image = source["image"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PendingMessage {
	    seq: number;
	    text: string;
	    created_at: string;
	    rejected: boolean;
	    code: string;
	    author?: string;
	    author_name?: string;
	
	    static createFrom(source: any = {}) {
	        return new PendingMessage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.seq = source["seq"];
	        this.text = source["text"];
	        this.created_at = source["created_at"];
	        this.rejected = source["rejected"];
	        this.code = source["code"];
	        this.author = source["author"];
	        this.author_name = source["author_name"];
	    }
	}
	export class GeneralThread {
	    messages: api.Message[];
	    pending: PendingMessage[];
	
	    static createFrom(source: any = {}) {
	        return new GeneralThread(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.messages = this.convertValues(source["messages"], api.Message);
	        this.pending = this.convertValues(source["pending"], PendingMessage);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class LocalCA {
	    nc_id: string;
	    text: string;
	    ready: boolean;
	    queued: boolean;
	    draft: string;
	    notice: string;
	    other_text: string;
	    other_by: string;
	    updated_at: string;
	    written_by?: string;
	    written_by_name?: string;
	
	    static createFrom(source: any = {}) {
	        return new LocalCA(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.nc_id = source["nc_id"];
	        this.text = source["text"];
	        this.ready = source["ready"];
	        this.queued = source["queued"];
	        this.draft = source["draft"];
	        this.notice = source["notice"];
	        this.other_text = source["other_text"];
	        this.other_by = source["other_by"];
	        this.updated_at = source["updated_at"];
	        this.written_by = source["written_by"];
	        this.written_by_name = source["written_by_name"];
	    }
	}
	export class LoginDefaults {
	    server: string;
	    username: string;
	    password: string;
	
	    static createFrom(source: any = {}) {
	        return new LoginDefaults(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.server = source["server"];
	        this.username = source["username"];
	        this.password = source["password"];
	    }
	}
	
	export class NCDetail {
	    row: NCRow;
	    audit: api.Audit;
	    messages: api.Message[];
	    evidence: EvidenceRow[];
	    criterion?: api.Criterion;
	    local?: LocalCA;
	    shared_draft?: api.CADraft;
	    editable: boolean;
	    pending: PendingMessage[];
	    evidence_editable: boolean;
	    evidence_ready: boolean;
	    evidence_notice: string;
	
	    static createFrom(source: any = {}) {
	        return new NCDetail(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.row = this.convertValues(source["row"], NCRow);
	        this.audit = this.convertValues(source["audit"], api.Audit);
	        this.messages = this.convertValues(source["messages"], api.Message);
	        this.evidence = this.convertValues(source["evidence"], EvidenceRow);
	        this.criterion = this.convertValues(source["criterion"], api.Criterion);
	        this.local = this.convertValues(source["local"], LocalCA);
	        this.shared_draft = this.convertValues(source["shared_draft"], api.CADraft);
	        this.editable = source["editable"];
	        this.pending = this.convertValues(source["pending"], PendingMessage);
	        this.evidence_editable = source["evidence_editable"];
	        this.evidence_ready = source["evidence_ready"];
	        this.evidence_notice = source["evidence_notice"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class OutboxItem {
	    seq: number;
	    kind: string;
	    nc_id: string;
	    text: string;
	    created_at: string;
	    state: string;
	    code: string;
	
	    static createFrom(source: any = {}) {
	        return new OutboxItem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.seq = source["seq"];
	        this.kind = source["kind"];
	        this.nc_id = source["nc_id"];
	        this.text = source["text"];
	        this.created_at = source["created_at"];
	        this.state = source["state"];
	        this.code = source["code"];
	    }
	}
	
	export class Recovery {
	    folder: string;
	    export: string;
	    restored: number;
	    unsent: number;
	    logged_in: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Recovery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.folder = source["folder"];
	        this.export = source["export"];
	        this.restored = source["restored"];
	        this.unsent = source["unsent"];
	        this.logged_in = source["logged_in"];
	    }
	}
	export class SendPreview {
	    ready: string[];
	    not_ready: string[];
	    no_files: string[];
	    uploading: number;
	
	    static createFrom(source: any = {}) {
	        return new SendPreview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ready = source["ready"];
	        this.not_ready = source["not_ready"];
	        this.no_files = source["no_files"];
	        this.uploading = source["uploading"];
	    }
	}
	export class SendResult {
	    queued: string[];
	    not_ready: string[];
	    online: boolean;
	
	    static createFrom(source: any = {}) {
	        return new SendResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.queued = source["queued"];
	        this.not_ready = source["not_ready"];
	        this.online = source["online"];
	    }
	}
	export class SessionState {
	    logged_in: boolean;
	    server: string;
	    username: string;
	    name: string;
	    org_id: string;
	    org_name: string;
	    org_role: string;
	    has_data: boolean;
	    token_store: string;
	    recovery?: Recovery;
	    ended?: string;
	
	    static createFrom(source: any = {}) {
	        return new SessionState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.logged_in = source["logged_in"];
	        this.server = source["server"];
	        this.username = source["username"];
	        this.name = source["name"];
	        this.org_id = source["org_id"];
	        this.org_name = source["org_name"];
	        this.org_role = source["org_role"];
	        this.has_data = source["has_data"];
	        this.token_store = source["token_store"];
	        this.recovery = this.convertValues(source["recovery"], Recovery);
	        this.ended = source["ended"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SyncStatus {
	    online: boolean;
	    syncing: boolean;
	    last_sync: string;
	    last_error: string;
	    error_at: string;
	    next_try: string;
	    last_contact: string;
	    pending: number;
	    files: number;
	    version: number;
	
	    static createFrom(source: any = {}) {
	        return new SyncStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.online = source["online"];
	        this.syncing = source["syncing"];
	        this.last_sync = source["last_sync"];
	        this.last_error = source["last_error"];
	        this.error_at = source["error_at"];
	        this.next_try = source["next_try"];
	        this.last_contact = source["last_contact"];
	        this.pending = source["pending"];
	        this.files = source["files"];
	        this.version = source["version"];
	    }
	}

}

export namespace attach {
	
	export class AttachResult {
	    path: string;
	    name: string;
	    id: string;
	    code: string;
	    size: number;
	    original_size: number;
	    max_bytes?: number;
	    types?: string[];
	
	    static createFrom(source: any = {}) {
	        return new AttachResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.name = source["name"];
	        this.id = source["id"];
	        this.code = source["code"];
	        this.size = source["size"];
	        this.original_size = source["original_size"];
	        this.max_bytes = source["max_bytes"];
	        this.types = source["types"];
	    }
	}
	export class Preferences {
	    downscale: boolean;
	    downscale_above_bytes: number;
	    pause_uploads: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Preferences(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.downscale = source["downscale"];
	        this.downscale_above_bytes = source["downscale_above_bytes"];
	        this.pause_uploads = source["pause_uploads"];
	    }
	}

}

export namespace audit {
	
	export class Entry {
	    seq: number;
	    at: string;
	    author: string;
	    author_name?: string;
	    kind: string;
	    hash: string;
	    sent: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Entry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.seq = source["seq"];
	        this.at = source["at"];
	        this.author = source["author"];
	        this.author_name = source["author_name"];
	        this.kind = source["kind"];
	        this.hash = source["hash"];
	        this.sent = source["sent"];
	    }
	}
	export class Report {
	    ok: boolean;
	    entries: number;
	    sent: number;
	    organisation: number;
	    problem?: trail.Problem;
	    refused?: string;
	    refused_seq?: number;
	
	    static createFrom(source: any = {}) {
	        return new Report(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ok = source["ok"];
	        this.entries = source["entries"];
	        this.sent = source["sent"];
	        this.organisation = source["organisation"];
	        this.problem = this.convertValues(source["problem"], trail.Problem);
	        this.refused = source["refused"];
	        this.refused_seq = source["refused_seq"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace calendar {
	
	export class Subscription {
	    active: boolean;
	    url: string;
	    // Go type: time
	    created_at: any;
	    lang: string;
	
	    static createFrom(source: any = {}) {
	        return new Subscription(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.active = source["active"];
	        this.url = source["url"];
	        this.created_at = this.convertValues(source["created_at"], null);
	        this.lang = source["lang"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace chains {
	
	export class Alert {
	    flo_id: string;
	    name: string;
	    event: string;
	    valid_until: string;
	    products: string[];
	
	    static createFrom(source: any = {}) {
	        return new Alert(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.flo_id = source["flo_id"];
	        this.name = source["name"];
	        this.event = source["event"];
	        this.valid_until = source["valid_until"];
	        this.products = source["products"];
	    }
	}
	export class PastAlert {
	    key: string;
	    flo_id: string;
	    name: string;
	    event: string;
	    fact: string;
	    raised_at: string;
	    seen_at: string;
	
	    static createFrom(source: any = {}) {
	        return new PastAlert(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.key = source["key"];
	        this.flo_id = source["flo_id"];
	        this.name = source["name"];
	        this.event = source["event"];
	        this.fact = source["fact"];
	        this.raised_at = source["raised_at"];
	        this.seen_at = source["seen_at"];
	    }
	}

}

export namespace cycle {
	
	export class NextDue {
	    who: string;
	    what: string;
	    nc_id: string;
	    due: string;
	    days_left?: number;
	    count: number;
	
	    static createFrom(source: any = {}) {
	        return new NextDue(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.who = source["who"];
	        this.what = source["what"];
	        this.nc_id = source["nc_id"];
	        this.due = source["due"];
	        this.days_left = source["days_left"];
	        this.count = source["count"];
	    }
	}
	export class CycleStep {
	    key: string;
	    state: string;
	    count: number;
	    date: string;
	
	    static createFrom(source: any = {}) {
	        return new CycleStep(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.key = source["key"];
	        this.state = source["state"];
	        this.count = source["count"];
	        this.date = source["date"];
	    }
	}
	export class AuditCycle {
	    audit: api.Audit;
	    steps: CycleStep[];
	    current: string;
	    next?: NextDue;
	    ncs: number;
	    open: number;
	
	    static createFrom(source: any = {}) {
	        return new AuditCycle(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.audit = this.convertValues(source["audit"], api.Audit);
	        this.steps = this.convertValues(source["steps"], CycleStep);
	        this.current = source["current"];
	        this.next = this.convertValues(source["next"], NextDue);
	        this.ncs = source["ncs"];
	        this.open = source["open"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class Standing {
	    status: string;
	    since: string;
	
	    static createFrom(source: any = {}) {
	        return new Standing(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.status = source["status"];
	        this.since = source["since"];
	    }
	}

}

export namespace directory {
	
	export class Freshness {
	    operators: number;
	    synced_at: string;
	
	    static createFrom(source: any = {}) {
	        return new Freshness(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.operators = source["operators"];
	        this.synced_at = source["synced_at"];
	    }
	}

}

export namespace exports {
	
	export class Result {
	    path: string;
	    rows: number;
	
	    static createFrom(source: any = {}) {
	        return new Result(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.rows = source["rows"];
	    }
	}

}

export namespace fairmonitor {
	
	export class Partner {
	    id?: string;
	    product: string;
	    flo_id: string;
	    role?: string;
	    added_by?: string;
	    // Go type: time
	    added_at: any;
	    revision?: number;
	    pending?: string;
	    name: string;
	    country: string;
	    status: string;
	    valid_until: string;
	    expiring: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Partner(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.product = source["product"];
	        this.flo_id = source["flo_id"];
	        this.role = source["role"];
	        this.added_by = source["added_by"];
	        this.added_at = this.convertValues(source["added_at"], null);
	        this.revision = source["revision"];
	        this.pending = source["pending"];
	        this.name = source["name"];
	        this.country = source["country"];
	        this.status = source["status"];
	        this.valid_until = source["valid_until"];
	        this.expiring = source["expiring"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Chain {
	    product: string;
	    partners: Partner[];
	    at_risk: number;
	
	    static createFrom(source: any = {}) {
	        return new Chain(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.product = source["product"];
	        this.partners = this.convertValues(source["partners"], Partner);
	        this.at_risk = source["at_risk"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Edit {
	    product: string;
	    flo_id: string;
	    role: string;
	
	    static createFrom(source: any = {}) {
	        return new Edit(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.product = source["product"];
	        this.flo_id = source["flo_id"];
	        this.role = source["role"];
	    }
	}
	
	export class View {
	    chains: Chain[];
	
	    static createFrom(source: any = {}) {
	        return new View(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.chains = this.convertValues(source["chains"], Chain);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace library {
	
	export class Use {
	    kind: string;
	    id: string;
	    nc_id: string;
	    subject: string;
	    label: string;
	    date: string;
	    state: string;
	    code: string;
	
	    static createFrom(source: any = {}) {
	        return new Use(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.id = source["id"];
	        this.nc_id = source["nc_id"];
	        this.subject = source["subject"];
	        this.label = source["label"];
	        this.date = source["date"];
	        this.state = source["state"];
	        this.code = source["code"];
	    }
	}
	export class File {
	    sha256: string;
	    name: string;
	    size: number;
	    media_type: string;
	    kinds: string[];
	    uses: Use[];
	    ncs: string[];
	    cached: boolean;
	    on_server: boolean;
	
	    static createFrom(source: any = {}) {
	        return new File(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.sha256 = source["sha256"];
	        this.name = source["name"];
	        this.size = source["size"];
	        this.media_type = source["media_type"];
	        this.kinds = source["kinds"];
	        this.uses = this.convertValues(source["uses"], Use);
	        this.ncs = source["ncs"];
	        this.cached = source["cached"];
	        this.on_server = source["on_server"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class LinkResult {
	    id: string;
	    already: boolean;
	
	    static createFrom(source: any = {}) {
	        return new LinkResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.already = source["already"];
	    }
	}
	export class Query {
	    text: string;
	    kind: string;
	
	    static createFrom(source: any = {}) {
	        return new Query(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.text = source["text"];
	        this.kind = source["kind"];
	    }
	}
	export class Target {
	    nc_id: string;
	    audit_id: string;
	    criterion: string;
	    linked: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Target(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.nc_id = source["nc_id"];
	        this.audit_id = source["audit_id"];
	        this.criterion = source["criterion"];
	        this.linked = source["linked"];
	    }
	}

}

export namespace partners {
	
	export class PartnerRow {
	    flo_id: string;
	    name: string;
	    country: string;
	    role: string;
	    products: string[];
	    status: string;
	    valid_until?: string;
	    // Go type: time
	    status_changed_at: any;
	    seq: number;
	    checked_at?: string;
	
	    static createFrom(source: any = {}) {
	        return new PartnerRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.flo_id = source["flo_id"];
	        this.name = source["name"];
	        this.country = source["country"];
	        this.role = source["role"];
	        this.products = source["products"];
	        this.status = source["status"];
	        this.valid_until = source["valid_until"];
	        this.status_changed_at = this.convertValues(source["status_changed_at"], null);
	        this.seq = source["seq"];
	        this.checked_at = source["checked_at"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PartnerResults {
	    partners: PartnerRow[];
	    more: boolean;
	    freshness: directory.Freshness;
	
	    static createFrom(source: any = {}) {
	        return new PartnerResults(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.partners = this.convertValues(source["partners"], PartnerRow);
	        this.more = source["more"];
	        this.freshness = this.convertValues(source["freshness"], directory.Freshness);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class PartnerSearch {
	    text: string;
	    country: string;
	    product: string;
	    role: string;
	    status: string;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new PartnerSearch(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.text = source["text"];
	        this.country = source["country"];
	        this.product = source["product"];
	        this.role = source["role"];
	        this.status = source["status"];
	        this.limit = source["limit"];
	    }
	}
	export class PartnerStatus {
	    flo_id: string;
	    name: string;
	    country: string;
	    role: string;
	    products: string[];
	    status: string;
	    valid_until?: string;
	    // Go type: time
	    status_changed_at: any;
	    seq: number;
	    checked_at?: string;
	    checked: boolean;
	    not_checked?: string;
	    copy_at: string;
	
	    static createFrom(source: any = {}) {
	        return new PartnerStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.flo_id = source["flo_id"];
	        this.name = source["name"];
	        this.country = source["country"];
	        this.role = source["role"];
	        this.products = source["products"];
	        this.status = source["status"];
	        this.valid_until = source["valid_until"];
	        this.status_changed_at = this.convertValues(source["status_changed_at"], null);
	        this.seq = source["seq"];
	        this.checked_at = source["checked_at"];
	        this.checked = source["checked"];
	        this.not_checked = source["not_checked"];
	        this.copy_at = source["copy_at"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace proxy {
	
	export class ScriptStatus {
	    url: string;
	    detected: boolean;
	    problem: string;
	    detail: string;
	
	    static createFrom(source: any = {}) {
	        return new ScriptStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.url = source["url"];
	        this.detected = source["detected"];
	        this.problem = source["problem"];
	        this.detail = source["detail"];
	    }
	}

}

export namespace proxyprefs {
	
	export class Input {
	    mode: string;
	    url: string;
	    user: string;
	    password: string;
	    keep_password: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Input(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.mode = source["mode"];
	        this.url = source["url"];
	        this.user = source["user"];
	        this.password = source["password"];
	        this.keep_password = source["keep_password"];
	    }
	}
	export class Prefs {
	    mode: string;
	    url: string;
	    user: string;
	    has_password: boolean;
	    source: string;
	    script?: proxy.ScriptStatus;
	
	    static createFrom(source: any = {}) {
	        return new Prefs(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.mode = source["mode"];
	        this.url = source["url"];
	        this.user = source["user"];
	        this.has_password = source["has_password"];
	        this.source = source["source"];
	        this.script = this.convertValues(source["script"], proxy.ScriptStatus);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace requests {
	
	export class Request {
	    id?: string;
	    seq?: number;
	    state: string;
	    code?: string;
	    target: string;
	    action: string;
	    target_id?: string;
	    fields?: {[key: string]: string};
	    old?: {[key: string]: string};
	    note?: string;
	    requested_at: string;
	    requested_by?: string;
	    decided_by?: string;
	    decided_at?: string;
	    comment?: string;
	    result_id?: string;
	
	    static createFrom(source: any = {}) {
	        return new Request(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.seq = source["seq"];
	        this.state = source["state"];
	        this.code = source["code"];
	        this.target = source["target"];
	        this.action = source["action"];
	        this.target_id = source["target_id"];
	        this.fields = source["fields"];
	        this.old = source["old"];
	        this.note = source["note"];
	        this.requested_at = source["requested_at"];
	        this.requested_by = source["requested_by"];
	        this.decided_by = source["decided_by"];
	        this.decided_at = source["decided_at"];
	        this.comment = source["comment"];
	        this.result_id = source["result_id"];
	    }
	}

}

export namespace team {
	
	export class Account {
	    username: string;
	    name: string;
	    role: string;
	    disabled: boolean;
	    password?: string;
	
	    static createFrom(source: any = {}) {
	        return new Account(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.username = source["username"];
	        this.name = source["name"];
	        this.role = source["role"];
	        this.disabled = source["disabled"];
	        this.password = source["password"];
	    }
	}
	export class DueSoon {
	    assignee: string;
	    name: string;
	    items: api.Assignment[];
	
	    static createFrom(source: any = {}) {
	        return new DueSoon(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.assignee = source["assignee"];
	        this.name = source["name"];
	        this.items = this.convertValues(source["items"], api.Assignment);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace trail {
	
	export class Problem {
	    seq: number;
	    org_seq?: number;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new Problem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.seq = source["seq"];
	        this.org_seq = source["org_seq"];
	        this.reason = source["reason"];
	    }
	}

}

export namespace update {
	
	export class KeyState {
	    state: string;
	    fingerprint: string;
	
	    static createFrom(source: any = {}) {
	        return new KeyState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.state = source["state"];
	        this.fingerprint = source["fingerprint"];
	    }
	}
	export class State {
	    status: string;
	    current: string;
	    available?: string;
	    mode: string;
	    code?: string;
	    done?: number;
	    total?: number;
	    checked_at?: string;
	
	    static createFrom(source: any = {}) {
	        return new State(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.status = source["status"];
	        this.current = source["current"];
	        this.available = source["available"];
	        this.mode = source["mode"];
	        this.code = source["code"];
	        this.done = source["done"];
	        this.total = source["total"];
	        this.checked_at = source["checked_at"];
	    }
	}
	export class About {
	    build: version.Info;
	    update: State;
	    key: KeyState;
	
	    static createFrom(source: any = {}) {
	        return new About(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.build = this.convertValues(source["build"], version.Info);
	        this.update = this.convertValues(source["update"], State);
	        this.key = this.convertValues(source["key"], KeyState);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	

}

export namespace version {
	
	export class Info {
	    version: string;
	    commit: string;
	    date: string;
	    webview: string;
	    go: string;
	    os: string;
	    arch: string;
	    updates?: string;
	
	    static createFrom(source: any = {}) {
	        return new Info(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.commit = source["commit"];
	        this.date = source["date"];
	        this.webview = source["webview"];
	        this.go = source["go"];
	        this.os = source["os"];
	        this.arch = source["arch"];
	        this.updates = source["updates"];
	    }
	}

}

